import type { ioApi } from '../../../shared/api/io';
import type { HandlersFor } from '../api/handlers';
import { exportList } from './exports';
import { runImport } from './imports';
import { deleteMapping, listMappings, saveMapping } from './mappings';
import { jobProgress } from './progress';
import { importTemplate, reportWorkbook } from './templates';

export const ioHandlers: HandlersFor<typeof ioApi> = {
  'imports.preview': (input, { db, ...ctx }) => runImport(db, input, ctx, 'preview'),
  'imports.apply': (input, { db, ...ctx }) => runImport(db, input, ctx, 'apply'),
  'imports.progress': async ({ jobId }) => jobProgress(jobId),
  'imports.template': ({ kind }, { db }) => importTemplate(db, kind),
  'imports.reportFile': ({ kind, fileName, report }) => reportWorkbook(kind, fileName, report),
  'imports.mappings.list': ({ kind }, { db }) => listMappings(db, kind),
  'imports.mappings.save': (input, { db, now }) => saveMapping(db, input, now()),
  'imports.mappings.delete': async ({ id }, { db }) => (await deleteMapping(db, id), { deleted: true as const }),
  'exports.file': ({ list, format, filter }, { db, now }) => exportList(db, list, format, filter ?? {}, now()),
};

/** Imports run their own transaction: a preview always rolls back, an apply commits only a clean run. */
export const IO_SELF_TRANSACTING = ['imports.preview', 'imports.apply'] as const;
/** Answers from memory without the datastore, so it replies while an import holds the connection. */
export const IO_DETACHED = ['imports.progress'] as const;
