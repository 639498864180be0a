/*
 * The part of graphql-ws the dashboard uses: its client for the graphql-transport-ws protocol (createClient) and the
 * protocol's close codes. Anything else the dashboard's code imports from the bundle must be exported here, then the
 * bundle rebuilt (README.md).
 */
export {CloseCode, createClient} from 'graphql-ws/client';
