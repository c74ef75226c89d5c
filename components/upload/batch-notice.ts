/**
 * What the page says when a drop or pick held more files than one batch takes: which ones were left out, by name,
 * since the order a file manager hands them over in is not always the order the user saw them in, and they are the
 * ones to add again. Null when every file was taken.
 */
export function leftOutNotice(names: readonly string[], maxPerBatch: number): string | null {
  const leftOut = names.slice(maxPerBatch);
  if (leftOut.length === 0) return null;
  const shown = leftOut.length <= 3 ? leftOut : [...leftOut.slice(0, 2), `${leftOut.length - 2} more`];
  const list = shown.length === 1 ? shown[0] : `${shown.slice(0, -1).join(', ')} and ${shown.at(-1)}`;
  return `Only the first ${maxPerBatch} files were added; not added: ${list}.`;
}
