import { TextInput, type TextInputProps } from '@mantine/core';
import { IconSearch } from '@tabler/icons-react';
import { focusFirstRowOnArrowDown } from '../lib/row-keys';

/** The search box above a list; `label` is its accessible name, `placeholder` says what it searches. */
export function SearchField({ label, value, onSearch, ...rest }: Omit<TextInputProps, 'onChange' | 'value'> & { label: string; value: string; onSearch: (text: string) => void }) {
  return <TextInput aria-label={label} leftSection={<IconSearch size={16} />} value={value} onChange={(e) => onSearch(e.currentTarget.value)} onKeyDown={focusFirstRowOnArrowDown} {...rest} />;
}
