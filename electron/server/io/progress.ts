/**
 * Progress of running imports, by the job id the caller chose. In memory only: it answers
 * `imports.progress` while the import itself holds the datastore's connection.
 */
interface Job {
  done: number;
  total: number;
  phase: string;
  at: number;
}

const jobs = new Map<string, Job>();
/** A finished job is remembered briefly, so a last poll still sees "Done". */
const KEEP_MS = 60_000;

export function reportJob(id: string, done: number, total: number, phase: string): void {
  jobs.set(id, { done, total, phase, at: Date.now() });
}

export function finishJob(id: string): void {
  const job = jobs.get(id);
  if (job) jobs.set(id, { ...job, done: job.total, phase: 'Done', at: Date.now() });
  for (const [k, j] of jobs) if (Date.now() - j.at > KEEP_MS && k !== id) jobs.delete(k);
}

export function jobProgress(id: string): { done: number; total: number; phase: string } | null {
  const job = jobs.get(id);
  return job ? { done: job.done, total: job.total, phase: job.phase } : null;
}
