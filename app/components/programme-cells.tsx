import { Link } from "@remix-run/react";
import { describeFlat, type FlatGroup } from "~/domain/programme";
import { formatDay } from "~/lib/dates";
import { TableCell, TableHead } from "./ui/table";

/** The columns every table of programmes starts with: programme, bailleur, commune, first letting, flats. */
export function ProgrammeHeads() {
  return (
    <>
      <TableHead>Programme</TableHead>
      <TableHead>Bailleur</TableHead>
      <TableHead>Commune</TableHead>
      <TableHead>Mise en location</TableHead>
      <TableHead>Logements</TableHead>
    </>
  );
}

export function ProgrammeCells({
  programme: p,
}: {
  programme: {
    id: string;
    name: string;
    bailleurName: string;
    communeName: string;
    firstLettingDate: string;
    flats: FlatGroup[];
  };
}) {
  return (
    <>
      <TableCell>
        <Link to={`/programmes/${p.id}`} className="underline">
          {p.name}
        </Link>
      </TableCell>
      <TableCell>{p.bailleurName}</TableCell>
      <TableCell>{p.communeName}</TableCell>
      <TableCell>{formatDay(p.firstLettingDate, "dd/MM/yyyy")}</TableCell>
      <TableCell>{p.flats.map((f) => `${f.count} ${describeFlat(f)}`).join(", ")}</TableCell>
    </>
  );
}
