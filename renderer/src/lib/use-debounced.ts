import { useDebouncedValue } from '@mantine/hooks';

/** What was typed, settled: the server is asked once per pause, not once per key. */
export function useSettled<T>(value: T, wait = 250): T {
  const [settled] = useDebouncedValue(value, wait);
  return settled;
}
