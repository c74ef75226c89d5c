import type { Metadata } from 'next';
import Link from 'next/link';
import { buttonClasses } from '~/components/ui/button';

// The tab and the router's announcement say what happened, not the site's default title.
export const metadata: Metadata = { title: 'Not found' };

export default function NotFound() {
  return (
    <div className="mx-auto max-w-md space-y-4 py-16 text-center">
      <h1 className="text-2xl font-semibold">Not found</h1>
      <p className="text-slate-600 dark:text-slate-300">There is nothing here, or it is not yours to see.</p>
      <Link href="/" className={buttonClasses()}>
        Classify a photo
      </Link>
    </div>
  );
}
