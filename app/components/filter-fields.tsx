import { Input } from "./ui/input";
import { Label } from "./ui/label";
import { NativeSelect } from "./ui/native-select";

/** Fields of the reports' GET filter forms, labelled for keyboard and screen-reader users. */

export function YearFilter({ defaultValue, label = "Année" }: { defaultValue: number; label?: string }) {
  return (
    <div className="space-y-1.5">
      <Label htmlFor="year">{label}</Label>
      <Input
        id="year"
        name="year"
        type="number"
        min={2015}
        max={2100}
        defaultValue={defaultValue}
        className="w-28"
      />
    </div>
  );
}

export function SelectFilter({
  name,
  label,
  defaultValue,
  options,
  allLabel = "Tous",
}: {
  name: string;
  label: string;
  defaultValue: string;
  options: Array<{ value: string; label: string }>;
  /** The "no filter" choice; null for a field that must have a value. */
  allLabel?: string | null;
}) {
  return (
    <div className="space-y-1.5">
      <Label htmlFor={name}>{label}</Label>
      <NativeSelect id={name} name={name} defaultValue={defaultValue}>
        {allLabel !== null && <option value="">{allLabel}</option>}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </NativeSelect>
    </div>
  );
}
