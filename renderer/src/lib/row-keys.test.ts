import { describe, expect, it } from 'vitest';
import { nextRowIndex } from './row-keys';

describe('moving between list rows with the keyboard', () => {
  it('steps one row with the arrows and stops at either end', () => {
    expect(nextRowIndex('ArrowDown', 0, 3)).toBe(1);
    expect(nextRowIndex('ArrowDown', 2, 3)).toBe(2);
    expect(nextRowIndex('ArrowUp', 1, 3)).toBe(0);
    expect(nextRowIndex('ArrowUp', 0, 3)).toBe(0);
  });

  it('jumps to the first and last row with Home and End', () => {
    expect(nextRowIndex('Home', 7, 50)).toBe(0);
    expect(nextRowIndex('End', 7, 50)).toBe(49);
  });

  it('moves a screenful with PageUp and PageDown, clamped to the list', () => {
    expect(nextRowIndex('PageDown', 0, 50)).toBe(10);
    expect(nextRowIndex('PageDown', 45, 50)).toBe(49);
    expect(nextRowIndex('PageUp', 15, 50)).toBe(5);
    expect(nextRowIndex('PageUp', 3, 50)).toBe(0);
  });

  it('ignores other keys and empty lists', () => {
    expect(nextRowIndex('a', 0, 3)).toBeNull();
    expect(nextRowIndex('Enter', 0, 3)).toBeNull();
    expect(nextRowIndex('ArrowDown', 0, 0)).toBeNull();
  });
});
