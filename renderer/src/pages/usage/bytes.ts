/** Bytes as staff read them, in decimal units as ISPs sell data (1 GB = 10^9 bytes): "1.23 GB". */
export function formatBytes(n: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];
  let i = 0;
  let v = n;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  if (i === 0) return `${n} B`;
  return `${v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)} ${units[i]}`;
}

/** The scale a chart's values are shown in, chosen from its largest value, so axis labels stay short. */
export function chartScale(max: number): { unit: string; divisor: number } {
  if (max >= 1e12) return { unit: 'TB', divisor: 1e12 };
  if (max >= 1e9) return { unit: 'GB', divisor: 1e9 };
  if (max >= 1e6) return { unit: 'MB', divisor: 1e6 };
  if (max >= 1e3) return { unit: 'kB', divisor: 1e3 };
  return { unit: 'B', divisor: 1 };
}

/** "today" as the back end counts days (UTC), and the day n days before it. */
export function utcDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}
export function daysBefore(day: string, n: number): string {
  return utcDay(new Date(Date.parse(`${day}T00:00:00Z`) - n * 86_400_000));
}
