import { Link } from "@remix-run/react";

/**
 * Links between the numbered pages of a long list (« Page 2 sur 11 »), shown only when there is more than one.
 * `href` gives a page's address with the list's other parameters kept.
 */
export function PageLinks({
  page,
  pageCount,
  href,
}: {
  page: number;
  pageCount: number;
  href: (page: number) => string;
}) {
  if (pageCount <= 1) return null;
  return (
    <nav className="flex flex-wrap items-center gap-4 text-sm" aria-label="Pages">
      {page > 1 && (
        <Link to={href(page - 1)} className="underline" rel="prev">
          Page précédente
        </Link>
      )}
      <span aria-current="page">
        Page {page} sur {pageCount}
      </span>
      {page < pageCount && (
        <Link to={href(page + 1)} className="underline" rel="next">
          Page suivante
        </Link>
      )}
    </nav>
  );
}
