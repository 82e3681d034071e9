'use client';
import { useEffect, useState } from 'react';
import { fetchProgress, saveLessonRead } from './progress-client.ts';

/** Marks the lesson read in `.lab/progress.json` (or unread again). */
export function MarkRead({ lesson, labels }: { lesson: string; labels: { markRead: string; markedRead: string; failed: string } }) {
  const [read, setRead] = useState(false);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    fetchProgress().then((p) => setRead(p.lessons[lesson]?.read === true), () => setFailed(true));
  }, [lesson]);
  const toggle = () => {
    saveLessonRead(lesson, !read).then(
      (p) => {
        setRead(p.lessons[lesson]?.read === true);
        setFailed(false);
      },
      () => setFailed(true),
    );
  };
  return (
    <div className="mark-read">
      <button type="button" aria-pressed={read} onClick={toggle} className={read ? 'done' : undefined}>
        {read ? labels.markedRead : labels.markRead}
      </button>
      <span role="status">{failed ? labels.failed : ''}</span>
    </div>
  );
}
