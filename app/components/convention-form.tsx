import { Form, useNavigation } from "@remix-run/react";
import {
  ANNEX_YEARS,
  CONVENTION_PERIOD,
  emptyFinancialAnnex,
  type FinancialAnnex,
  MANAGEMENT_LABELS,
  MANAGEMENT_MODES,
  type ManagementMode,
  MEL_PUBLICS,
  type PublicsSplit,
} from "~/domain/convention";
import { CsrfInput } from "./csrf-input";
import { Field } from "./field";
import { Button } from "./ui/button";
import { Label } from "./ui/label";
import { NativeSelect } from "./ui/native-select";

/** The terms of a convention bilatérale as the form shows them (a new draft, or the draft being changed). */
export type ConventionTerms = {
  bailleurId: string;
  startYear: number;
  endYear: number;
  rateBp: number | null;
  management: ManagementMode | null;
  publics: PublicsSplit | null;
  fluxVolume: number | null;
  initialRights: number | null;
  financialAnnex: FinancialAnnex | null;
};

export const newTerms = (withAnnex: boolean): ConventionTerms => ({
  bailleurId: "",
  ...CONVENTION_PERIOD,
  rateBp: null,
  management: "delegated",
  publics: MEL_PUBLICS,
  fluxVolume: null,
  initialRights: null,
  financialAnnex: withAnnex ? emptyFinancialAnnex() : null,
});

/**
 * The model of Annex 2 (004 lines 560–806) as a form: period (art. 7), rate (art. 2), publics (art. 3), management
 * mode (art. 4.1) and, for the MEL, the financial annex (Annex 2). Errors are keyed like the API's (`publics.daloPct`).
 */
export function ConventionForm({
  intent,
  terms,
  bailleurs,
  errors,
  submitLabel,
}: {
  intent: string;
  terms: ConventionTerms;
  /** Null when the bailleur is fixed (changing a draft). */
  bailleurs: Array<{ id: string; name: string }> | null;
  errors: Record<string, string>;
  submitLabel: string;
}) {
  const busy = useNavigation().state !== "idle";
  const annex = terms.financialAnnex;
  const number = (value: number | null | undefined) => (value == null ? "" : String(value));
  return (
    <Form method="post" className="space-y-6" noValidate>
      <CsrfInput />
      <input type="hidden" name="intent" value={intent} />
      {errors.form && <p className="text-sm text-destructive">{errors.form}</p>}
      <fieldset className="grid gap-4 sm:grid-cols-3">
        <legend className="mb-2 font-semibold">Parties et durée (art. 7)</legend>
        {bailleurs ? (
          <div className="space-y-1.5">
            <Label htmlFor="bailleurId">Bailleur</Label>
            <NativeSelect
              id="bailleurId"
              name="bailleurId"
              className="w-full"
              defaultValue={terms.bailleurId}
              aria-invalid={errors.bailleurId ? true : undefined}
              aria-describedby={errors.bailleurId ? "bailleurId-error" : undefined}
            >
              <option value="">— Choisir —</option>
              {bailleurs.map((b) => (
                <option key={b.id} value={b.id}>
                  {b.name}
                </option>
              ))}
            </NativeSelect>
            {errors.bailleurId && (
              <p id="bailleurId-error" className="text-sm text-destructive">
                {errors.bailleurId}
              </p>
            )}
          </div>
        ) : (
          <input type="hidden" name="bailleurId" value={terms.bailleurId} />
        )}
        <Field
          label="Première année"
          name="startYear"
          inputMode="numeric"
          defaultValue={terms.startYear}
          error={errors.startYear}
        />
        <Field
          label="Dernière année"
          name="endYear"
          inputMode="numeric"
          defaultValue={terms.endYear}
          error={errors.endYear}
        />
      </fieldset>
      <fieldset className="grid gap-4 sm:grid-cols-3">
        <legend className="mb-2 font-semibold">Contingent (art. 2 et 4.1)</legend>
        <Field
          label="Taux de réservation (%)"
          name="rate"
          inputMode="decimal"
          hint="Par exemple 20 ; MEL et communes ensemble : 20 % au plus."
          defaultValue={terms.rateBp === null ? "" : String(terms.rateBp / 100).replace(".", ",")}
          error={errors.rateBp}
        />
        <div className="space-y-1.5">
          <Label htmlFor="management">Mode de gestion</Label>
          <NativeSelect
            id="management"
            name="management"
            className="w-full"
            defaultValue={terms.management ?? "delegated"}
            aria-invalid={errors.management ? true : undefined}
            aria-describedby={errors.management ? "management-error" : undefined}
          >
            {MANAGEMENT_MODES.map((m) => (
              <option key={m} value={m}>
                {MANAGEMENT_LABELS[m]}
              </option>
            ))}
          </NativeSelect>
          {errors.management && (
            <p id="management-error" className="text-sm text-destructive">
              {errors.management}
            </p>
          )}
        </div>
        <Field
          label={`Flux d'attributions du bailleur en ${terms.startYear}`}
          name="fluxVolume"
          inputMode="numeric"
          hint="Art. 2 : volume du flux sur lequel portent les réservations."
          defaultValue={number(terms.fluxVolume)}
          error={errors.fluxVolume}
        />
        <Field
          label={`Droits au 1er janvier ${terms.startYear}`}
          name="initialRights"
          inputMode="numeric"
          hint="Art. 2 : attributions réservées sur ce flux."
          defaultValue={number(terms.initialRights)}
          error={errors.initialRights}
        />
      </fieldset>
      <fieldset className="grid gap-4 sm:grid-cols-3">
        <legend className="mb-2 font-semibold">Publics (art. 3), en % du contingent</legend>
        <Field
          label="Publics cibles de la CIA"
          name="ciaTargetsPct"
          inputMode="numeric"
          hint="Le reste va aux autres demandes, tous quartiles."
          defaultValue={number(terms.publics?.ciaTargetsPct)}
          error={errors["publics.ciaTargetsPct"]}
        />
        <Field
          label="dont DALO-PDALHPD labellisées"
          name="daloPct"
          inputMode="numeric"
          defaultValue={number(terms.publics?.daloPct)}
          error={errors["publics.daloPct"]}
        />
        <Field
          label="dont mutations bloquées/complexes labellisées"
          name="mbcPct"
          inputMode="numeric"
          defaultValue={number(terms.publics?.mbcPct)}
          error={errors["publics.mbcPct"]}
        />
      </fieldset>
      {annex && (
        <fieldset className="space-y-3">
          <legend className="mb-2 font-semibold">Annexe 2 : engagement financier de la MEL (en euros)</legend>
          {errors.financialAnnex && <p className="text-sm text-destructive">{errors.financialAnnex}</p>}
          <div className="grid gap-2 sm:grid-cols-3">
            {ANNEX_YEARS.map((year) => {
              const line = annex.years.find((y) => y.year === year);
              return (
                <div key={year} className="grid grid-cols-2 gap-2">
                  <Field
                    label={`${year} — conventions échues`}
                    name={`expired-${year}`}
                    inputMode="numeric"
                    defaultValue={number(line?.expiredEur)}
                  />
                  <Field
                    label={`${year} — nouvel encours garanti`}
                    name={`guaranteed-${year}`}
                    inputMode="numeric"
                    defaultValue={number(line?.newGuaranteedEur)}
                  />
                </div>
              );
            })}
          </div>
          {Object.entries(errors)
            .filter(([key]) => key.startsWith("financialAnnex.years"))
            .map(([key, message]) => (
              <p key={key} className="text-sm text-destructive">
                {message}
              </p>
            ))}
          <div className="grid gap-4 sm:grid-cols-5">
            <Field
              label="Taux de garantie des prêts (%)"
              name="guaranteeRatePct"
              inputMode="numeric"
              defaultValue={number(annex.guaranteeRatePct)}
              error={errors["financialAnnex.guaranteeRatePct"]}
            />
            {(["plai", "plus"] as const).flatMap((product) =>
              (["total", "paid"] as const).map((amount) => {
                const key = amount === "total" ? "totalEur" : "paidEur";
                return (
                  <Field
                    key={`${product}-${amount}`}
                    label={`Subventions ${product.toUpperCase()} : ${amount === "total" ? "total" : "payé"}`}
                    name={`${product}${amount === "total" ? "Total" : "Paid"}`}
                    inputMode="numeric"
                    defaultValue={number(annex.subsidies[product][key])}
                    error={errors[`financialAnnex.subsidies.${product}.${key}`]}
                  />
                );
              }),
            )}
          </div>
        </fieldset>
      )}
      <Button disabled={busy}>{submitLabel}</Button>
    </Form>
  );
}
