'use client';

import { useRouter } from 'next/navigation';
import { useCallback, useEffect, useRef, useState } from 'react';
import { classifyImageAction } from '~/app/(app)/actions';
import { buttonClasses } from '~/components/ui/button';
import { useHydrated } from '~/components/ui/use-hydrated';
import { isPageOutOfDate, unansweredCallMessage } from '~/components/ui/use-reachable-action-state';
import { UPLOAD } from '~/lib/config';
import { formatBytes } from '~/lib/format';
import { leftOutNotice } from './batch-notice';
import { resend, ResultCard, settle, type UploadItem, type UploadStatus } from './result-card';
import { newUploadKey } from './upload-key';

/** A drag of files (from the desktop or a file manager), not of text or links from a page. */
function carriesFiles(event: { dataTransfer: DataTransfer | null }): boolean {
  return event.dataTransfer?.types.includes('Files') ?? false;
}

/** Where the user is typing, the page is not scrolled from under them. */
function isTextEntry(element: Element | null): boolean {
  if (element instanceof HTMLTextAreaElement || element instanceof HTMLSelectElement) return true;
  if (element instanceof HTMLInputElement) return !['button', 'checkbox', 'color', 'file', 'image', 'radio', 'range', 'reset', 'submit'].includes(element.type);
  return element instanceof HTMLElement && element.isContentEditable;
}

/**
 * Drop, pick, paste or shoot photos; each is sent to the classify action in
 * turn (actions run one at a time anyway) and gets its own result card.
 * Previews come from object URLs, not the input, because React resets the
 * form after an action.
 */
export function Uploader({ maxBytes, accountId, guestRetentionDays }: { maxBytes: number; accountId: string | null; guestRetentionDays: number }) {
  const signedIn = accountId !== null;
  const router = useRouter();
  const [items, setItems] = useState<UploadItem[]>([]);
  // The account the page shows now (null: a guest's page), read by answers that arrive after it has changed.
  const shownAccount = useRef(accountId);
  // Set when an answer found the page out of date and refreshed it: answers for more photos added on the same page
  // (queued before the refresh landed) need no second one. Whatever the page shows next may go out of date in turn,
  // so it is cleared whenever the account shown changes, to an account or to a guest's page.
  const refreshedFrom = useRef<string | null | undefined>(undefined);
  useEffect(() => {
    shownAccount.current = accountId;
    refreshedFrom.current = undefined;
  }, [accountId]);
  const [dragging, setDragging] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  // True once hydrated (the mount effect then takes any file chosen before it, see below).
  const ready = useHydrated();
  const queue = useRef<Promise<void>>(Promise.resolve());
  const urls = useRef(new Set<string>());
  // Removed before their turn in the queue: never sent (a signed-in user's would be saved to the history).
  const cancelled = useRef(new Set<string>());
  // The page was left: photos still waiting are not sent either, since no card is left to show or stop them.
  const left = useRef(false);
  // The newest card, brought into view once answered: on a phone it lands below the fold.
  const reveal = useRef<string | null>(null);
  const list = useRef<HTMLUListElement>(null);
  const picker = useRef<HTMLInputElement>(null);
  const camera = useRef<HTMLInputElement>(null);

  useEffect(() => {
    const owned = urls.current;
    left.current = false; // mounted again (React's development mode mounts twice)
    return () => {
      left.current = true;
      owned.forEach((url) => URL.revokeObjectURL(url));
    };
  }, []);

  /** Sets a card's status from the one it has. */
  const update = useCallback((key: string, next: (status: UploadStatus) => UploadStatus) => {
    setItems((current) => current.map((item) => (item.key === key ? { ...item, status: next(item.status) } : item)));
  }, []);

  const classify = useCallback(
    async ({ key, file, addedFor }: UploadItem) => {
      if (cancelled.current.delete(key) || left.current) return;
      update(key, (status) => resend(status, 'uploading'));
      const started = performance.now();
      try {
        const body = new FormData();
        body.set('file', file);
        // The same key on every try of this card: a retry after a lost answer is stored once.
        body.set('uploadKey', key);
        // Who the page was shown to ('' for a guest): a session ended since is told, not taken for a guest, and a
        // photo added for one person is never saved to an account signed in since (in another tab of this browser).
        body.set('expectedUser', addedFor ?? '');
        const state = await classifyImageAction(body);
        update(key, (status) => settle(status, { kind: 'done', state, roundTripMs: performance.now() - started }));
        // The session is no longer the one the page shows (signed out since, or an account signed in, in another
        // tab): render the page again as the server sees it now (the header, what is kept of the photos added from
        // then on), keeping the results on it. Once per account shown: an answer for a photo added on a page since
        // refreshed away says nothing about the page shown now.
        if (state.status === 'success' && state.signedOut && addedFor === shownAccount.current && refreshedFrom.current !== addedFor) {
          refreshedFrom.current = addedFor;
          router.refresh();
        }
      } catch (error) {
        // Network errors or a body over Next's limit: trying again may work. A page older than the last deploy
        // ("Failed to find Server Action") must be reloaded first.
        const message = unansweredCallMessage(error, 'The upload did not go through. Check your connection and try again.');
        update(key, (status) => settle(status, { kind: 'error', message, retryable: !isPageOutOfDate(error) }));
      }
    },
    [update, router],
  );

  const enqueue = useCallback(
    (item: UploadItem) => {
      queue.current = queue.current.then(() => classify(item));
    },
    [classify],
  );

  useEffect(() => {
    const key = reveal.current;
    if (!key) return;
    const index = items.findIndex((item) => item.key === key);
    const status = items[index]?.status.kind;
    if (status === 'queued' || status === 'uploading') return;
    reveal.current = null;
    const card = list.current?.children[index];
    if (!card || isTextEntry(document.activeElement)) return;
    const still = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
    card.scrollIntoView({ block: 'nearest', behavior: still ? 'auto' : 'smooth' });
  }, [items]);

  const addFiles = useCallback(
    (files: readonly File[]) => {
      if (files.length === 0) return;
      const accepted = files.slice(0, UPLOAD.maxFilesPerBatch);
      setNotice(leftOutNotice(files.map((file) => file.name), UPLOAD.maxFilesPerBatch));
      const added: UploadItem[] = accepted.map((file) => {
        const previewUrl = URL.createObjectURL(file);
        urls.current.add(previewUrl);
        const tooBig = file.size > maxBytes;
        return {
          key: newUploadKey(),
          name: file.name || 'pasted image',
          size: file.size,
          previewUrl,
          file,
          addedFor: accountId,
          status: tooBig
            ? { kind: 'error', message: `This file is ${formatBytes(file.size)}; the limit is ${formatBytes(maxBytes)}.`, retryable: false }
            : { kind: 'queued' },
        };
      });
      reveal.current = added[0]?.key ?? null;
      setItems((current) => [...added, ...current]);
      for (const item of added) {
        if (item.status.kind === 'queued') enqueue(item);
      }
    },
    [enqueue, maxBytes, accountId],
  );

  /** Adds a file input's files and empties it, so the same photo can be chosen again (and is not taken twice). */
  const takeFiles = useCallback(
    (input: HTMLInputElement) => {
      addFiles(Array.from(input.files ?? []));
      input.value = '';
    },
    [addFiles],
  );

  // Paste an image anywhere on the page. Any pasted file is added: one that
  // is not an image gets a card that says so, rather than nothing at all.
  useEffect(() => {
    function onPaste(event: ClipboardEvent) {
      const files = Array.from(event.clipboardData?.files ?? []);
      if (files.length > 0) {
        event.preventDefault();
        addFiles(files);
      }
    }
    window.addEventListener('paste', onPaste);
    return () => window.removeEventListener('paste', onPaste);
  }, [addFiles]);

  // Files chosen before the page's script ran (a slow phone) had no handler
  // then, and no change event comes later: take them now. The inputs are
  // emptied once read, so running again finds nothing.
  useEffect(() => {
    for (const input of [picker.current, camera.current]) if (input) takeFiles(input);
  }, [takeFiles]);

  // Files dropped anywhere on the page, the drop zone included, are added. Left
  // to the browser, a drop that misses the zone opens the file in this tab,
  // and every result on the page (a guest's are stored nowhere) is gone.
  useEffect(() => {
    function onDragOver(event: DragEvent) {
      if (carriesFiles(event)) event.preventDefault();
    }
    function onDrop(event: DragEvent) {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      addFiles(Array.from(event.dataTransfer?.files ?? []));
    }
    window.addEventListener('dragover', onDragOver);
    window.addEventListener('drop', onDrop);
    return () => {
      window.removeEventListener('dragover', onDragOver);
      window.removeEventListener('drop', onDrop);
    };
  }, [addFiles]);

  function remove(key: string) {
    const index = items.findIndex((item) => item.key === key);
    const gone = items[index];
    if (!gone) return;
    if (gone.status.kind === 'queued') cancelled.current.add(key);
    // Already on its way: it cannot be called back, and a signed-in user's result will be saved all the same.
    else if (gone.status.kind === 'uploading' && gone.addedFor !== null) {
      setNotice(`${gone.name} had already been sent, so its result will still be saved to your history, where you can delete it.`);
    }
    // Focus would fall to the page with the card: move it to the next card's ✕ (or the one before), or back to the picker.
    const buttons = list.current?.querySelectorAll<HTMLButtonElement>('button[data-remove]');
    (buttons?.[index + 1] ?? buttons?.[index - 1] ?? picker.current)?.focus();
    URL.revokeObjectURL(gone.previewUrl);
    urls.current.delete(gone.previewUrl);
    setItems((current) => current.filter((item) => item.key !== key));
  }

  function retry(item: UploadItem) {
    update(item.key, (status) => resend(status));
    enqueue(item);
  }

  return (
    <div className="space-y-6">
      <div
        // Highlighted for files only. Cancelling dragenter (as the page-wide
        // listener cancels dragover) makes the zone the drop target, so its own
        // drop and dragleave arrive and end the highlight.
        onDragEnter={(event) => {
          if (!carriesFiles(event)) return;
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={(event) => {
          if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setDragging(false);
        }}
        // The files themselves are taken by the page-wide drop listener above.
        onDrop={() => setDragging(false)}
        data-testid="dropzone"
        data-ready={ready}
        data-dragging={dragging}
        className={`flex flex-col items-center gap-4 rounded-2xl border-2 border-dashed px-6 py-10 text-center transition-colors ${
          dragging
            ? 'border-brand-500 bg-brand-50 dark:bg-brand-700/20'
            : 'border-slate-300 bg-white dark:border-slate-700 dark:bg-slate-900'
        }`}
      >
        <svg aria-hidden="true" viewBox="0 0 24 24" className="h-10 w-10 text-brand-500" fill="none" stroke="currentColor" strokeWidth="1.5">
          <path strokeLinecap="round" strokeLinejoin="round" d="M3 16.5V18a2.25 2.25 0 0 0 2.25 2.25h13.5A2.25 2.25 0 0 0 21 18v-1.5M7.5 9 12 4.5m0 0L16.5 9M12 4.5V15" />
        </svg>
        <div>
          <p className="text-base font-medium">Drop photos here, paste one, or choose files</p>
          <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">JPEG, PNG, WebP, GIF, AVIF or TIFF · up to {formatBytes(maxBytes)} each</p>
        </div>
        <div className="flex flex-wrap justify-center gap-3">
          <label className={`${buttonClasses()} cursor-pointer focus-within:outline-2 focus-within:outline-offset-2 focus-within:outline-brand-500`}>
            <input
              ref={picker}
              type="file"
              name="file"
              accept={UPLOAD.accept}
              multiple
              className="sr-only"
              data-testid="file-input"
              onChange={(event) => takeFiles(event.currentTarget)}
            />
            Choose photos
          </label>
          <label className={`${buttonClasses({ variant: 'secondary' })} cursor-pointer focus-within:outline-2 focus-within:outline-offset-2 focus-within:outline-brand-500`}>
            <input
              ref={camera}
              type="file"
              accept="image/*"
              capture="environment"
              className="sr-only"
              onChange={(event) => takeFiles(event.currentTarget)}
            />
            Take a photo
          </label>
        </div>
        {signedIn ? (
          <p className="text-xs text-slate-500 dark:text-slate-400">Results are saved to your history as a small thumbnail; the original photo is not kept.</p>
        ) : (
          <p className="text-xs text-slate-500 dark:text-slate-400" data-testid="guest-storage">
            {guestStorageText(guestRetentionDays)} Sign in to keep a history.
          </p>
        )}
      </div>
      {/* Always there, so that the live region exists before its text appears; empty, its margins collapse away. */}
      <p role="status" className="text-sm text-amber-800 dark:text-amber-200">
        {notice}
      </p>
      {items.length > 0 ? (
        <section aria-labelledby="results-heading">
          {/* For the outline: the page's h1, then this, then each card's answer (h3). */}
          <h2 id="results-heading" className="sr-only">
            Results
          </h2>
          <ul ref={list} className="space-y-4" data-testid="results">
            {items.map((item) => (
              <ResultCard key={item.key} item={item} signedIn={signedIn} onRemove={remove} onRetry={retry} />
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}

/** What a guest's upload leaves behind, for the server's GUEST_RETENTION_DAYS. */
function guestStorageText(retentionDays: number): string {
  if (retentionDays === 0) return 'As a guest nothing is stored.';
  const days = retentionDays === 1 ? '1 day' : `${retentionDays} days`;
  return `As a guest, a small thumbnail and the answer are kept for ${days} for quality review; nothing else.`;
}
