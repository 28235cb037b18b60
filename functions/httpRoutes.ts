import type { HttpHandler } from '@azure/functions';

/**
 * An HTTP function as registered with the host: kept as data so that `npm start`'s local server
 * (scripts/localApiServer.ts) routes to exactly the functions and routes the Function App registers.
 */
export interface HttpRoute {
  name: string;
  methods: ('GET' | 'PUT' | 'DELETE')[];
  route: string;
  handler: HttpHandler;
}
