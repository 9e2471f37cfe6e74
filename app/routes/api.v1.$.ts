import { apiNotFound } from "~/api/handler.server";

export const loader = apiNotFound;
export const action = apiNotFound;
