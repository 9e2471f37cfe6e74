import "@remix-run/node";

// Single fetch (remix.config.js) changes what loaders' data types look like on the client.
declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}
