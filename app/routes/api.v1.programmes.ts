import {
  type ApiInputs,
  type ApiMethod,
  type ApiOutputs,
  apiHandler,
  requireMethod,
} from "~/api/handler.server";
import { readJsonBody } from "~/api/json-body.server";
import { programmeCreatedResponse, programmeListResponse } from "~/lib/programme-responses";
import { programmeListQuerySchema, programmeSchema } from "~/lib/programme-schemas";
import { publicUrl } from "~/lib/route-params.server";
import { createProgramme, listProgrammes } from "~/models/programmes.server";

export const methods: readonly ApiMethod[] = ["GET", "POST"];
export const inputs: ApiInputs = {
  GET: { query: programmeListQuerySchema },
  POST: { body: programmeSchema },
};
export const outputs: ApiOutputs = {
  GET: { 200: programmeListResponse },
  POST: { 201: programmeCreatedResponse },
};

/**
 * GET /api/v1/programmes?after= — the programmes the caller may see (a réservataire: those of its bailleurs; a commune:
 * its territory), by first letting date, 50 a page; a full page links to the next one (`Link: <…>; rel="next"`,
 * keyset cursor `after`, as the signalements' list).
 */
export const loader = apiHandler(async (actor, { request }) => {
  const url = new URL(request.url);
  const { programmes, next } = await listProgrammes(
    actor,
    programmeListQuerySchema.parse({ after: url.searchParams.get("after") ?? undefined }),
  );
  if (next) url.searchParams.set("after", next);
  return Response.json(
    programmes,
    next ? { headers: { link: `<${url.pathname}${url.search}>; rel="next"` } } : {},
  );
}, outputs);

/** POST /api/v1/programmes — a bailleur declares a programme (or only announces it with `announceOnly`). */
export const action = apiHandler(async (actor, { request }) => {
  requireMethod(request, methods);
  const input = await readJsonBody(request, programmeSchema);
  return Response.json(await createProgramme(actor, input, { baseUrl: publicUrl() }), { status: 201 });
}, outputs);
