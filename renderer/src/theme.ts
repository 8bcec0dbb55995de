import { type MantineColorsTuple, createTheme } from '@mantine/core';

/** A calm teal-blue: reads as "network" without shouting, and keeps status colors distinct. */
const towerline: MantineColorsTuple = [
  '#e6f6fa',
  '#d2e9f0',
  '#a7d1e0',
  '#78b8cf',
  '#52a3c1',
  '#3996b8',
  '#2a8fb5',
  '#197c9f',
  '#086e8f',
  '#005f7f',
];

export const theme = createTheme({
  primaryColor: 'towerline',
  colors: { towerline },
  primaryShade: 7,
  defaultRadius: 'md',
  fontFamily: 'Inter, "Segoe UI", system-ui, -apple-system, Roboto, "Helvetica Neue", Arial, sans-serif',
  headings: { fontFamily: 'Inter, "Segoe UI", system-ui, -apple-system, Roboto, "Helvetica Neue", Arial, sans-serif' },
  cursorType: 'pointer',
  components: {
    TextInput: { defaultProps: { size: 'sm' } },
    Modal: { defaultProps: { overlayProps: { backgroundOpacity: 0.4, blur: 1 } } },
  },
});
