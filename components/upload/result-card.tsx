import Link from 'next/link';
import { useRef, type ReactNode } from 'react';
import { linkClasses, loginHref } from '~/components/auth/auth-links';
import { Alert } from '~/components/ui/alert';
import { buttonClasses } from '~/components/ui/button';
import { Card } from '~/components/ui/card';
import { LOW_CONFIDENCE } from '~/lib/config';
import type { ClassifyState } from '~/lib/prediction-state';
import { FeedbackButtons } from '~/components/prediction/feedback-buttons';
import { formatMs, formatPercent, LABEL_COLOURS, labelText } from '~/components/prediction/label-text';
import { ProbabilityBars } from '~/components/prediction/probability-bars';
import { PhotoPreview } from './photo-preview';

type Answered = { kind: 'done'; state: Extract<ClassifyState, { status: 'success' }>; roundTripMs: number };

export type UploadStatus =
  /** `answer`: what this card showed before "Try again" (answered, not saved), kept on screen meanwhile. */
  | { kind: 'queued'; answer?: Answered }
  | { kind: 'uploading'; answer?: Answered }
  | { kind: 'done'; state: ClassifyState; roundTripMs: number }
  | { kind: 'error'; message: string; retryable: boolean };

/** The answer a card shows, if any: what came back, or the one it showed before it was sent again. */
function answerOf(status: UploadStatus): Answered | undefined {
  if (status.kind === 'queued' || status.kind === 'uploading') return status.answer;
  return status.kind === 'done' && status.state.status === 'success' ? { ...status, state: status.state } : undefined;
}

/** What a card becomes when it is (sent) again: pending, still showing the answer it has. */
export function resend(status: UploadStatus, kind: 'queued' | 'uploading' = 'queued'): UploadStatus {
  return { kind, answer: answerOf(status) };
}

/**
 * The outcome of sending a card (again). A retry of an answer the history could not keep that fails
 * in turn (the connection, the server busy) does not take that answer off the screen: it stays, with
 * the new failure in place of the save message, and can be tried again.
 */
export function settle(previous: UploadStatus, outcome: UploadStatus): UploadStatus {
  const answer = answerOf(previous);
  if (!answer || answerOf(outcome)) return outcome;
  const failure = outcome.kind === 'error' ? outcome : outcome.kind === 'done' && outcome.state.status !== 'success' ? outcome.state : null;
  if (!failure) return outcome;
  return {
    ...answer,
    state: { ...answer.state, saveError: `Still not saved to your history: ${failure.message}`, saveRetryable: canRetry(outcome) },
  };
}

export interface UploadItem {
  key: string;
  name: string;
  size: number;
  previewUrl: string;
  /** Kept so that a failed upload can be sent again. */
  file: File;
  /**
   * The account the page was shown to when the photo was added (null: a guest). Every try of it says so, also
   * after the page has found its session ended and shown itself signed out, so that the photo is answered as "not
   * saved, sign in again", never kept as a guest's, nor saved to another account signed in since in another tab.
   */
  addedFor: string | null;
  status: UploadStatus;
}

/**
 * Worth sending again as it is: the network, or the server being busy,
 * restarting or rate-limiting (the action's `failed`), or an answer that a
 * signed-in user's history could not keep because the database was out
 * (a camera shot may exist nowhere else). `invalid_data` and a file over the
 * limit would fail the same way again, and a signed-out user must sign in
 * first.
 */
export function canRetry(status: UploadStatus): boolean {
  if (status.kind === 'error') return status.retryable;
  if (status.kind !== 'done') return false;
  const { state } = status;
  return state.status === 'failed' || (state.status === 'success' && state.saveRetryable);
}

/** One uploaded file: its preview and, once answered, the result. */
export function ResultCard({
  item,
  signedIn,
  onRemove,
  onRetry,
}: {
  item: UploadItem;
  signedIn: boolean;
  onRemove: (key: string) => void;
  onRetry: (item: UploadItem) => void;
}) {
  const { status } = item;
  const body = useRef<HTMLDivElement>(null);
  return (
    <Card as="li" className="flex overflow-hidden">
      {/* What a screen reader says as the card changes: a line of its own, not the whole card (its bars, timings and
          buttons) as a live region, which would also hold the feedback buttons' own live status. In the card from its
          first render, empty, since a live region that arrives filled is often not read; and outside the aria-busy
          body, which some screen readers keep quiet while it is busy. */}
      <p className="sr-only" aria-live="polite" aria-atomic="true" data-testid="card-announcement">
        {announcement(item)}
      </p>
      {/* Small beside the text on phones, so the answer is not pushed below the fold. */}
      <div className="relative m-4 mr-0 aspect-square w-24 shrink-0 self-start overflow-hidden rounded-lg bg-slate-100 sm:m-0 sm:w-48 sm:self-auto sm:rounded-none dark:bg-slate-800">
        <PhotoPreview url={item.previewUrl} name={item.name} />
      </div>
      <div
        ref={body}
        tabIndex={-1}
        className="flex min-w-0 flex-1 flex-col gap-3 p-4 focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-brand-500"
        aria-busy={status.kind === 'queued' || status.kind === 'uploading'}
      >
        <div className="flex items-start justify-between gap-2">
          <p className="truncate text-sm text-slate-500 dark:text-slate-400" title={item.name}>
            {item.name}
          </p>
          <button
            type="button"
            onClick={() => onRemove(item.key)}
            data-remove
            className="rounded-md px-2 text-sm text-slate-500 hover:bg-slate-100 hover:text-slate-800 dark:text-slate-400 dark:hover:bg-slate-800 dark:hover:text-slate-100"
            aria-label={`Remove ${item.name} from the list`}
          >
            ✕
          </button>
        </div>
        <CardBody item={item} signedIn={signedIn} />
        {canRetry(status) ? (
          <div>
            <button
              type="button"
              className={buttonClasses({ variant: 'secondary', size: 'sm' })}
              onClick={() => {
                onRetry(item);
                // The button goes away with the error; keep focus on this card, where the new status is announced.
                body.current?.focus();
              }}
            >
              Try again
            </button>
          </div>
        ) : null}
      </div>
    </Card>
  );
}

const LOOKING = 'Looking at your photo…';
const SAVING_AGAIN = 'Saving to your history again…';
const UNSURE = 'The model is unsure about this one';

/**
 * The card's news in one sentence. Errors are left out: they come as alerts (role="alert"), which are read as they
 * appear. The warnings of an answer are said here, and shown as notes (role="note"), which are not read out again.
 */
export function announcement({ name, status }: Pick<UploadItem, 'name' | 'status'>): string {
  if (status.kind === 'uploading') return `${name}: ${status.answer ? SAVING_AGAIN : LOOKING}`;
  if (status.kind !== 'done' || status.state.status !== 'success') return '';
  const { prediction, saveError } = status.state;
  return [
    `${name}: ${labelText(prediction.label)}, ${formatPercent(prediction.confidence)} confident.`,
    prediction.confidence < LOW_CONFIDENCE ? `${UNSURE}.` : '',
    saveError ?? '',
  ]
    .filter(Boolean)
    .join(' ');
}

function CardBody({ item, signedIn }: { item: UploadItem; signedIn: boolean }) {
  const { status } = item;
  if (status.kind === 'queued' || status.kind === 'uploading') {
    const pending = (
      <div className="flex items-center gap-3 text-sm text-slate-600 dark:text-slate-300" data-testid="prediction-pending">
        <span className="h-4 w-4 animate-spin rounded-full border-2 border-brand-500 border-t-transparent" aria-hidden="true" />
        {status.answer ? SAVING_AGAIN : status.kind === 'queued' ? 'Waiting…' : LOOKING}
      </div>
    );
    return status.answer ? <Answer status={status.answer} signedIn={signedIn} footer={pending} /> : pending;
  }
  if (status.kind === 'error') {
    return <Alert tone="error">{status.message}</Alert>;
  }
  const { state } = status;
  if (state.status !== 'success') {
    return (
      <Alert tone="error">
        <span data-testid="prediction-error">{state.message}</span>
      </Alert>
    );
  }
  return <Answer status={{ ...status, state }} signedIn={signedIn} />;
}

/** The label, probabilities and timings of an answer; `footer` in place of its save message and links while it is sent again. */
function Answer({ status, signedIn, footer }: { status: Answered; signedIn: boolean; footer?: ReactNode }) {
  const { state, roundTripMs } = status;
  const { prediction } = state;
  return (
    <>
      <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
        <h3 className="text-2xl font-semibold tracking-tight">{labelText(prediction.label)}</h3>
        <code data-testid="prediction-label" className={`rounded-md px-2 py-0.5 font-mono text-xs ${LABEL_COLOURS[prediction.label].chip}`}>
          {prediction.label}
        </code>
        <span className="text-sm text-slate-600 dark:text-slate-300">
          <span className="font-medium tabular-nums">{formatPercent(prediction.confidence)}</span> confident
        </span>
      </div>
      {prediction.confidence < LOW_CONFIDENCE ? (
        <Alert tone="warning" role="note">
          {UNSURE}; it may not be a clear photo of a cat or a dog.
        </Alert>
      ) : null}
      <ProbabilityBars probabilities={prediction.probabilities} predicted={prediction.label} />
      <p className="text-xs text-slate-500 dark:text-slate-400">
        Answered in <span className="tabular-nums">{formatMs(roundTripMs)}</span> (server {formatMs(prediction.timings.serverMs)}, model{' '}
        {formatMs(prediction.timings.inferenceMs)}) · {prediction.image.width}×{prediction.image.height} {prediction.image.format.toUpperCase()}
      </p>
      {footer ?? (
        <>
          {state.saveError ? (
            <Alert tone="warning" role="note">
              {state.saveError}
            </Alert>
          ) : null}
          {prediction.id ? (
            <div className="flex flex-wrap items-end justify-between gap-3">
              <FeedbackButtons predictionId={prediction.id} predicted={prediction.label} initial={prediction.correctLabel} />
              {/* Not prefetched, as in the history list: every card of a batch would have its page rendered on the server. */}
              <Link href={`/history/${prediction.id}`} prefetch={false} className="text-sm font-medium text-brand-700 underline-offset-4 hover:underline dark:text-brand-300">
                View in history
              </Link>
            </div>
          ) : state.signedOut && !signedIn ? (
            // Someone with an account whose session ended: signing in again is their way back, not a new account.
            <p className="text-sm text-slate-600 dark:text-slate-300">
              <Link href={loginHref('/')} className={linkClasses}>
                Sign in again
              </Link>
            </p>
          ) : !signedIn ? (
            <p className="text-sm text-slate-600 dark:text-slate-300">
              <Link href="/signup" className={linkClasses}>
                Create an account
              </Link>{' '}
              to keep a history and tell us when we get it wrong.
            </p>
          ) : null}
        </>
      )}
    </>
  );
}
