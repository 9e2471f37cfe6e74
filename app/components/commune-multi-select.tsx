import { useState } from "react";
import { Button } from "./ui/button";
import { Command, CommandEmpty, CommandGroup, CommandInput, CommandItem, CommandList } from "./ui/command";
import { Popover, PopoverContent, PopoverTrigger } from "./ui/popover";

export type CommuneChoice = { code: string; name: string };

/** « Lille (59350), Roubaix (59512) »: the communes by name, with their code (an unknown code stays as is). */
export function communeList(communes: CommuneChoice[], codes: string[]): string {
  const nameOf = new Map(communes.map((c) => [c.code, c.name]));
  return codes.map((code) => (nameOf.has(code) ? `${nameOf.get(code)} (${code})` : code)).join(", ");
}

/**
 * Chooses communes among the MEL's by typing part of a name or a code (shadcn's Combobox: a Command in a Popover),
 * keyboard operable (arrows, Entrée, Échap). Posts one `name` field per chosen code, as the multiple select did.
 */
export function CommuneMultiSelect({
  id,
  name,
  communes,
  defaultValue = [],
  single = false,
  describedBy,
  invalid,
  onChange,
}: {
  id: string;
  name: string;
  communes: CommuneChoice[];
  defaultValue?: string[];
  /** One commune at most (a flat's commune): choosing another replaces it. */
  single?: boolean;
  describedBy?: string;
  invalid?: boolean;
  onChange?: (codes: string[]) => void;
}) {
  const [open, setOpen] = useState(false);
  const [chosen, setChosen] = useState<string[]>(defaultValue);
  const nameOf = new Map(communes.map((c) => [c.code, c.name]));
  const update = (codes: string[]) => {
    setChosen(codes);
    onChange?.(codes);
  };
  const toggle = (code: string) => {
    if (chosen.includes(code)) update(chosen.filter((c) => c !== code));
    else update(single ? [code] : [...chosen, code]);
    if (single) setOpen(false);
  };
  const summary =
    chosen.length === 0
      ? single
        ? "Choisir une commune…"
        : "Choisir des communes…"
      : chosen.length === 1
        ? `${nameOf.get(chosen[0]!) ?? chosen[0]} (${chosen[0]})`
        : `${chosen.length} communes choisies`;
  return (
    <div className="space-y-2">
      {chosen.map((code) => (
        <input key={code} type="hidden" name={name} value={code} />
      ))}
      <Popover open={open} onOpenChange={setOpen}>
        <PopoverTrigger asChild>
          <Button
            id={id}
            type="button"
            variant="outline"
            className="w-full justify-between font-normal"
            aria-describedby={describedBy}
            aria-invalid={invalid || undefined}
          >
            {summary}
            <span aria-hidden="true">▾</span>
          </Button>
        </PopoverTrigger>
        <PopoverContent className="w-80">
          <Command label="Communes de la MEL">
            <CommandInput placeholder="Nom ou code INSEE…" aria-label="Rechercher une commune" />
            <CommandList>
              <CommandEmpty>Aucune commune de la MEL ne correspond.</CommandEmpty>
              <CommandGroup>
                {communes.map((c) => (
                  <CommandItem key={c.code} value={`${c.name} ${c.code}`} onSelect={() => toggle(c.code)}>
                    <span aria-hidden="true" className="w-4">
                      {chosen.includes(c.code) ? "✓" : ""}
                    </span>
                    {c.name} ({c.code})
                    {chosen.includes(c.code) && <span className="sr-only"> (choisie)</span>}
                  </CommandItem>
                ))}
              </CommandGroup>
            </CommandList>
          </Command>
        </PopoverContent>
      </Popover>
      {!single && chosen.length > 0 && (
        <ul className="flex flex-wrap gap-2" aria-label="Communes choisies">
          {chosen.map((code) => (
            <li key={code}>
              <Button
                type="button"
                size="sm"
                variant="outline"
                onClick={() => toggle(code)}
                aria-label={`Retirer ${nameOf.get(code) ?? code}`}
              >
                {nameOf.get(code) ?? code} ({code}) <span aria-hidden="true">×</span>
              </Button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
