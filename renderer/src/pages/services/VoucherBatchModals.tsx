import { Loader, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import type { OutputOf } from '../../../../shared/api/contract';
import { hotspotApi } from '../../../../shared/api/hotspot';
import { callApi, useApiQuery } from '../../api/hooks';
import { FormAlert } from '../../components/FormAlert';
import { FormModalFooter } from '../../components/FormModalFooter';
import { useFormSubmit } from '../../lib/use-form-submit';

type Batch = OutputOf<'vouchers.listBatches'>[number];

/** Voids a batch: its vouchers stay on record as Voided and never log in again. */
export function VoidBatchModal({ batch, onClose }: { batch: Batch; onClose: () => void }) {
  const queryClient = useQueryClient();
  const form = useForm<{ reason: string }>({ initialValues: { reason: '' } });
  const { formError, clearFormError, run } = useFormSubmit(form, ['reason']);
  const submit = form.onSubmit(async (v) => {
    const input = { batchId: batch.batchId, reason: v.reason };
    const result = await run(hotspotApi['vouchers.voidBatch'].input, input, () => callApi('vouchers.voidBatch', input));
    if (!result) return;
    await queryClient.invalidateQueries();
    notifications.show({
      color: 'green',
      title: 'Voucher batch voided',
      message: `${result.voided} vouchers of ${batch.batchId} voided${result.alreadyVoided ? `, ${result.alreadyVoided} already were` : ''}`,
      withBorder: true,
    });
    onClose();
  });
  return (
    <Modal opened onClose={onClose} title={`Void batch ${batch.batchId}`} centered data-testid="void-batch-modal">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <FormAlert message={formError} onClose={clearFormError} />
          <Text size="sm">
            All {batch.count} vouchers ({batch.hotspotPlanName}) stop working at the hotspot at once. They stay on record, with what they used, shown as Voided.
          </Text>
          <TextInput label="Reason" placeholder="e.g. sheet lost, printed with the wrong plan" data-autofocus {...form.getInputProps('reason')} />
          <FormModalFooter onCancel={onClose} submitting={form.submitting} saveLabel="Void batch" saveTestId="void-batch-confirm" />
        </Stack>
      </form>
    </Modal>
  );
}

interface CardValues extends Record<string, unknown> {
  ssid: string;
  loginAddress: string;
}

/** What every voucher card prints: the Wi-Fi network to join and where the login page opens. */
export function HotspotCardSettingsModal({ onClose }: { onClose: () => void }) {
  const current = useApiQuery('hotspotSettings.get', {});
  return (
    <Modal opened onClose={onClose} title="Voucher card settings" centered data-testid="card-settings-modal">
      {current.data ? <CardSettingsForm initial={current.data} onClose={onClose} /> : <Loader size="sm" />}
    </Modal>
  );
}

function CardSettingsForm({ initial, onClose }: { initial: OutputOf<'hotspotSettings.get'>; onClose: () => void }) {
  const queryClient = useQueryClient();
  const form = useForm<CardValues>({ initialValues: { ssid: initial.ssid ?? '', loginAddress: initial.loginAddress ?? '' } });
  const { formError, clearFormError, run } = useFormSubmit(form, ['ssid', 'loginAddress']);
  const submit = form.onSubmit(async (v) => {
    const input = { ssid: v.ssid, loginAddress: v.loginAddress };
    const saved = await run(hotspotApi['hotspotSettings.update'].input, input, () => callApi('hotspotSettings.update', input));
    if (!saved) return;
    await queryClient.invalidateQueries();
    notifications.show({ color: 'green', title: 'Card settings saved', message: saved.ssid ? `Cards say: join “${saved.ssid}”` : 'Cards print no network name', withBorder: true });
    onClose();
  });
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <FormAlert message={formError} onClose={clearFormError} />
        <TextInput label="Wi-Fi network name (SSID)" placeholder="e.g. Big Sky Marina Guest" data-autofocus {...form.getInputProps('ssid')} />
        <TextInput label="Login page address" placeholder="e.g. login.wifi" description="Printed for guests whose browser does not open the login page by itself" {...form.getInputProps('loginAddress')} />
        <FormModalFooter onCancel={onClose} submitting={form.submitting} />
      </Stack>
    </form>
  );
}

/** Saves the MikroTik login page (login.html) the back end writes with the ISP's name and logo. */
export async function downloadLoginPage(): Promise<void> {
  const page = await callApi('hotspot.loginPage', {});
  const url = URL.createObjectURL(new Blob([page.html], { type: 'text/html' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = page.filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  notifications.show({ color: 'green', title: 'Login page saved', message: 'Upload login.html to the router\'s hotspot folder (Files → hotspot), replacing the one there.', withBorder: true });
}
