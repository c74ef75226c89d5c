import { LoadingState, Skeleton } from '~/components/ui/loading-state';

export default function PredictionLoading() {
  return (
    <LoadingState>
      <Skeleton className="h-4 w-32" />
      <div className="grid gap-6 rounded-2xl border border-slate-200 p-6 md:grid-cols-[256px_1fr] dark:border-slate-800">
        <Skeleton className="aspect-square w-full max-w-64" />
        <div className="space-y-4">
          <Skeleton className="h-9 w-40" />
          <Skeleton className="h-3 w-full" />
          <Skeleton className="h-3 w-full" />
          <Skeleton className="h-3 w-full" />
          <Skeleton className="h-8 w-72" />
        </div>
      </div>
    </LoadingState>
  );
}
