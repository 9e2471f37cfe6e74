import { type ApiMethod, type ApiOutputs, apiHandler } from "~/api/handler.server";
import { meResponse } from "~/lib/organisation-responses";
import { activeMembershipsOf } from "~/models/members.server";

export const methods: readonly ApiMethod[] = ["GET"];
export const outputs: ApiOutputs = { GET: { 200: meResponse } };

/** Who am I: the user and all their active memberships (no policy needed: it is only the caller's own data). */
export const loader = apiHandler(
  async (actor) => ({
    user: actor.user,
    memberships: await activeMembershipsOf(actor),
  }),
  outputs,
);
