/**
 * Which page to show of `total` items, `size` a page: the asked page (1-based) clamped to
 * the pages there are — a Previous/Next button can outlive a deletion.
 */
export function pageWindow(total: number, size: number, asked: number) {
  const pageCount = Math.max(1, Math.ceil(total / size));
  const page = Math.min(Math.max(1, Math.trunc(asked) || 1), pageCount);
  return { page, pageCount, limit: size, offset: (page - 1) * size };
}
