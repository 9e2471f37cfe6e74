import { readdirSync, readFileSync } from "node:fs";
import ts from "typescript";
import { describe, expect, it } from "vitest";

// Decision 0023: every exported business function of app/models takes the Actor first and asks the policy itself.
// This test reads the models' exported functions (TypeScript's parser, no type checking) and fails on one whose first
// parameter is not an `Actor`, unless it is listed below with its reason. A listed function that now takes the Actor,
// or no longer exists, fails the test too: the list only shrinks.

/** `file:function` → why it does not take the Actor. */
const NOT_A_STEP: Record<string, string> = {};
const reason = (why: string, names: string[]) => {
  for (const name of names) NOT_A_STEP[name] = why;
};

reason("pure: formats, serialises or parses values it is given, reads and writes nothing", [
  "assiette-export:annexTable",
  "assiette-export:annexCsv",
  "assiette-export:annexXlsx",
  "assiette-export:exportName",
  "assiette:yearParam",
  "assiette:versionParam",
  "assiette:versionJson",
  "assiette:annexRowJson",
  "assiette:annexJson",
  "attribution-file:decodeText",
  "attribution-file:zipUncompressedSize",
  "attribution-file:readAttributionFile",
  "attribution-rows:checkAttributions",
  "attribution-rows:leaseDatesOf",
  "attribution-rows:insertBatches",
  "attribution-import:attributionTemplateCsv",
  "attribution-import:attributionTemplateXlsx",
  "attribution-import:readLimitedBody",
  "avenant-pdf:avenantPdf",
  "avenants:avenantJson",
  "avenants:statusLine",
  "bilan-export:bilanXlsx",
  "bilan-export:bilanPdf",
  "calendar:calendarJson",
  "convention-pdf:conventionPdf",
  "conventions:conventionJson",
  "deliveries-export:periodFrom",
  "metropolitan-bilan:firstQuartileOutsideQpv",
  "reports-export:consumptionTable",
  "reports-export:indicatorTables",
  "reports-export:indicatorsTable",
  "reports:parseReportFilters",
  "signalements:ackAlertDays",
  "signalements:retentionMonths",
  "signalements:retentionCutoff",
]);

reason("builds the CASL subject of a row, for the policy to decide on", [
  "assiette:forecastSubject",
  "avenants:avenantSubject",
  "bilans:bilanSubject",
  "contingents:rateSubject",
  "conventions:conventionSubject",
]);

reason("a part of a step, inside the transaction (`tx`) of a step that asked the policy", [
  "api-tokens:revokeTokensOf",
  "assiette:frozenAnnexRows",
  "assiette:annexRows",
  "assiette:publishedVersionIn",
  "attributions:recordAttributionIn",
  "avenant-replacement:replaceChangedLetters",
  "contingents:contingentPairs",
  "contingents:ratesOfYear",
  "members:memberEmails",
  "members:recipients",
]);

reason(
  "the version a figure cites (DESIGN §3), a published fact read for a step that asked the policy on its own subject (a bilan, a report, which communes read too)",
  ["assiette:versionInForce"],
);

reason("a job's pass: the platform acts on a schedule, no user (app/jobs)", [
  "avenants:acceptDueAvenants",
  "avenants:remindAvenants",
  "bilans:remindBilans",
  "calendar:remindLateObligations",
  "crib:anonymiseClosedCribCases",
  "signalements:anonymiseClosedSignalements",
  "report-cache:reportDataVersion",
  "report-cache:foldReportChanges",
  "report-cache:cachedReport",
]);

reason("before any session: the secret token of the link is the credential", [
  "invitations:findUsableInvitation",
  "invitations:joinWithInvitation",
  "invitations:acceptInvitation",
  "password-resets:requestPasswordReset",
  "password-resets:checkResetToken",
  "password-resets:resetPassword",
  "calendar-feeds:calendarFeedText",
]);

/** Each exported function of a module, with the type written on its first parameter ("" when it has none). */
function exportedFunctions(source: string): Array<{ name: string; firstParameterType: string }> {
  const file = ts.createSourceFile("model.ts", source, ts.ScriptTarget.Latest, true);
  const found: Array<{ name: string; fn: ts.SignatureDeclaration }> = [];
  for (const statement of file.statements) {
    const exported = ts.canHaveModifiers(statement)
      ? ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)
      : false;
    if (!exported) continue;
    if (ts.isFunctionDeclaration(statement) && statement.name)
      found.push({ name: statement.name.text, fn: statement });
    if (ts.isVariableStatement(statement))
      for (const { name, initializer } of statement.declarationList.declarations)
        if (ts.isIdentifier(name) && initializer && ts.isArrowFunction(initializer))
          found.push({ name: name.text, fn: initializer });
  }
  return found.map(({ name, fn }) => ({ name, firstParameterType: fn.parameters[0]?.type?.getText() ?? "" }));
}

const takesTheActor = (type: string) => /^Actor\b/.test(type);

describe("models take the Actor (decision 0023)", () => {
  const functions = readdirSync("app/models")
    .filter((name) => name.endsWith(".server.ts"))
    .flatMap((name) =>
      exportedFunctions(readFileSync(`app/models/${name}`, "utf8")).map((fn) => ({
        ...fn,
        key: `${name.replace(".server.ts", "")}:${fn.name}`,
      })),
    );

  it("reads the exported functions and their first parameter", () => {
    const source = `export async function a(actor: Actor, id: string) {}
      export const b = (tx: Db) => tx;
      export function c() {}
      function hidden(actor: Actor) {}
      export const VALUE = 3;`;
    expect(exportedFunctions(source)).toEqual([
      { name: "a", firstParameterType: "Actor" },
      { name: "b", firstParameterType: "Db" },
      { name: "c", firstParameterType: "" },
    ]);
    expect(functions.find((fn) => fn.key === "signalements:listSignalements")?.firstParameterType).toBe(
      "Actor",
    );
  });

  it("every exported function takes the Actor first, but for the listed ones", () => {
    const withoutActor = functions.filter((fn) => !takesTheActor(fn.firstParameterType)).map((fn) => fn.key);
    expect(withoutActor.sort()).toEqual(Object.keys(NOT_A_STEP).sort());
  });
});
