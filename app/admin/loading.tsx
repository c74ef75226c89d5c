import { LoadingState, Skeleton } from '~/components/ui/loading-state';

/** Below the admin layout, which has already checked the role (and redirected) before this shows. */
export default function AdminLoading() {
  return (
    <LoadingState>
      <div className="space-y-2">
        <Skeleton className="h-8 w-56" />
        <Skeleton className="h-4 w-80" />
      </div>
      <div className="grid grid-cols-2 gap-3 sm:grid-cols-5">
        {Array.from({ length: 5 }, (_, i) => (
          <Skeleton key={i} className="h-20" />
        ))}
      </div>
      <div className="grid gap-6 lg:grid-cols-2">
        <Skeleton className="h-64 rounded-2xl" />
        <Skeleton className="h-64 rounded-2xl" />
      </div>
    </LoadingState>
  );
}
