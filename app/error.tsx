'use client';

// Next requires error.tsx itself to be a client module; the UI lives in components/.
export { ErrorView as default } from '~/components/error-view';
