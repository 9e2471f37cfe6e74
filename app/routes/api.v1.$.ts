import { type ApiMethod, apiNotFound } from "~/api/handler.server";

// Every method: an unknown path answers 404 whatever the method.
export const methods: readonly ApiMethod[] = ["GET", "POST", "PUT", "PATCH", "DELETE"];

export const loader = apiNotFound;
export const action = apiNotFound;
