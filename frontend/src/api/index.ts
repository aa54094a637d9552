export { ApiError, getJson, isRecord, parseErrorBody, type Decoder, type RequestOptions } from './client';
