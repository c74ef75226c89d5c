'use client';

import { useState } from 'react';

/**
 * The chosen file as the browser shows it, before and after the server's
 * answer. Browsers cannot show every file PetLens reads (TIFF, for one) nor
 * files that are not images at all; those get a plain "No preview" tile
 * instead of a broken-image icon and the alt text spilling over it.
 */
export function PhotoPreview({ url, name }: { url: string; name: string }) {
  const [failedUrl, setFailedUrl] = useState<string | null>(null);
  if (failedUrl === url) {
    return (
      <div
        role="img"
        aria-label={`No preview of ${name}`}
        data-testid="preview-unavailable"
        className="flex h-full w-full items-center justify-center p-2 text-center text-xs text-slate-600 dark:text-slate-400"
      >
        No preview
      </div>
    );
  }
  return (
    // eslint-disable-next-line @next/next/no-img-element -- a local object URL, not an optimisable asset
    <img src={url} alt={`Your photo ${name}`} onError={() => setFailedUrl(url)} className="h-full w-full object-cover" />
  );
}
