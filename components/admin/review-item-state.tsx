'use client';

import { createContext, useContext, useState, type ReactNode } from 'react';
import type { Label } from '~/lib/config';

interface ReviewItem {
  /** The confirmed label as this page knows it: the server's, then the admin's last one set here. */
  current: Label | null;
  /** An admin set a label on this page (the server then marks the prediction reviewed). */
  reviewedHere: boolean;
  confirm(label: Label): void;
}

const ReviewItemContext = createContext<ReviewItem | null>(null);

function useReviewItem(): ReviewItem {
  const item = useContext(ReviewItemContext);
  if (!item) throw new Error('review item components must be inside <ReviewItemState>');
  return item;
}

/**
 * One review card's confirmed label, shared by its buttons and its badges.
 * The page is not re-rendered after a label is set (that would drop the item
 * from under the admin's cursor: see setConfirmedLabelAction), so the badges
 * the server rendered would otherwise keep saying "misclassified" beside
 * "Prediction confirmed."
 */
export function ReviewItemState({ initial, children }: { initial: Label | null; children: ReactNode }) {
  const [current, setCurrent] = useState<Label | null>(initial);
  const [reviewedHere, setReviewedHere] = useState(false);
  const confirm = (label: Label) => {
    setCurrent(label);
    setReviewedHere(true);
  };
  return <ReviewItemContext.Provider value={{ current, reviewedHere, confirm }}>{children}</ReviewItemContext.Provider>;
}

export function useConfirmedLabel(): [Label | null, (label: Label) => void] {
  const { current, confirm } = useReviewItem();
  return [current, confirm];
}

/** "✎ misclassified" while the confirmed label differs from the prediction. */
export function MisclassifiedBadge({ predicted }: { predicted: Label }) {
  const { current } = useReviewItem();
  return current !== null && current !== predicted ? <span className="font-medium text-amber-800 dark:text-amber-200">✎ misclassified</span> : null;
}

/** "✓ reviewed": when, as the server rendered it, or "just now" once a label was set on this page. */
export function ReviewedBadge({ reviewedAt }: { reviewedAt: string | null }) {
  const { reviewedHere } = useReviewItem();
  if (!reviewedHere && reviewedAt === null) return null;
  return (
    <span className="text-emerald-800 dark:text-emerald-200" data-testid="review-reviewed">
      ✓ reviewed {reviewedHere ? 'just now' : reviewedAt}
    </span>
  );
}
