import { createContext, useContext } from "react";

/**
 * The Content-Security-Policy nonce of the page being rendered on the server (`entry.server.tsx`), for the scripts
 * Remix writes inline. In the browser it is undefined: the browser hides nonces from the page, and needs none after.
 */
export const NonceContext = createContext<string | undefined>(undefined);

export const useNonce = () => useContext(NonceContext);
