/** The browser side of `/api/progress`: one fetch shared by the navigation and the read button. */
export interface ProgressView {
  lessons: Record<string, { read: boolean; at: string }>;
}

export const PROGRESS_EVENT = 'course-progress';

export async function fetchProgress(): Promise<ProgressView> {
  const response = await fetch('/api/progress', { cache: 'no-store' });
  if (!response.ok) throw new Error(`progress: ${response.status}`);
  return (await response.json()) as ProgressView;
}

export async function saveLessonRead(lesson: string, read: boolean): Promise<ProgressView> {
  const response = await fetch('/api/progress', {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ lesson, read }),
  });
  if (!response.ok) throw new Error(`progress: ${response.status}`);
  const progress = (await response.json()) as ProgressView;
  window.dispatchEvent(new CustomEvent<ProgressView>(PROGRESS_EVENT, { detail: progress }));
  return progress;
}
