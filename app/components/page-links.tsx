import { Link } from "@remix-run/react";
import { Button } from "~/components/ui/button";

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
    <nav className="flex flex-wrap items-center gap-2" aria-label="Pages">
      {page > 1 && (
        <Button asChild variant="outline" size="sm">
          <Link to={href(page - 1)} rel="prev">
            Page précédente
          </Link>
        </Button>
      )}
      <span className="text-sm">
        Page {page} sur {pageCount}
      </span>
      {page < pageCount && (
        <Button asChild variant="outline" size="sm">
          <Link to={href(page + 1)} rel="next">
            Page suivante
          </Link>
        </Button>
      )}
    </nav>
  );
}
