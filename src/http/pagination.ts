import type { FastifyRequest } from 'fastify';
import { Type, type TSchema } from 'typebox';
import { BadRequestError, NotFoundError } from './errors.js';
import { Nullable } from './schemas.js';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export const PageQuery = {
  page: Type.Optional(Type.String({ description: 'Page number, from 1.' })),
  page_size: Type.Optional(Type.String({ description: `Results per page, 1 to ${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE}).` })),
};

export const Paginated = <T extends TSchema>(item: T, title: string) =>
  Type.Object(
    {
      count: Type.Integer({ description: 'Total number of results.' }),
      next: Nullable(Type.String({ description: 'URL of the next page.' })),
      previous: Nullable(Type.String({ description: 'URL of the previous page.' })),
      results: Type.Array(item),
    },
    { title },
  );

export interface PageRequest {
  page: number;
  pageSize: number;
  offset: number;
}

function positive(raw: string | undefined, name: string, fallback: number): number {
  if (raw === undefined) return fallback;
  if (!/^\d{1,9}$/.test(raw) || Number(raw) < 1) {
    throw new BadRequestError('invalid_page', `${name} must be a positive whole number, got "${raw}".`);
  }
  return Number(raw);
}

export function readPage(query: { page?: string; page_size?: string }): PageRequest {
  const page = positive(query.page, 'page', 1);
  const pageSize = Math.min(positive(query.page_size, 'page_size', DEFAULT_PAGE_SIZE), MAX_PAGE_SIZE);
  return { page, pageSize, offset: (page - 1) * pageSize };
}

/** The page envelope with absolute next/previous links that keep the other query parameters. */
export function pageBody<T>(
  request: FastifyRequest,
  publicUrl: string,
  page: PageRequest,
  count: number,
  results: T[],
): { count: number; next: string | null; previous: string | null; results: T[] } {
  const lastPage = Math.max(1, Math.ceil(count / page.pageSize));
  if (page.page > lastPage) {
    throw new NotFoundError('invalid_page', `Page ${page.page} does not exist; the last page is ${lastPage}.`);
  }
  const link = (target: number) => {
    const { pathname, searchParams } = new URL(request.url, 'http://request.invalid');
    if (target === 1) searchParams.delete('page');
    else searchParams.set('page', String(target));
    const query = searchParams.toString();
    return `${publicUrl}${pathname}${query ? `?${query}` : ''}`;
  };
  return {
    count,
    next: page.page < lastPage ? link(page.page + 1) : null,
    previous: page.page > 1 ? link(page.page - 1) : null,
    results,
  };
}
