/** Public surface of the Zalo clients (docs/zalo.md §1). Import from here or from the modules. */
export { computeAppSecretProof } from './appsecret-proof.ts';
export { systemClock, type Clock } from '../lib/clock.ts';
export {
  classifyZaloError,
  isZaloError,
  MINIAPP_NOTIFY_ERRORS,
  ZALO_ERROR_TABLE,
  ZaloError,
  type ZaloAction,
  type ZaloChannel,
  type ZaloErrorClass,
  type ZaloErrorKind,
} from './errors.ts';
export {
  createGraphClient,
  normalizeVnPhone,
  type GraphClient,
  type GraphClientConfig,
  type ZaloPhoneResult,
  type ZaloUserProfile,
} from './graph-client.ts';
export { DEFAULT_TIMEOUT_MS, type FetchLike, type RateLimitInfo } from './http.ts';
export {
  createMiniAppNotifyClient,
  type MiniAppNotifyClient,
  type MiniAppNotifyClientConfig,
  type MiniAppTemplateData,
} from './miniapp-notify-client.ts';
export { createOaClient, OA_TEXT_MAX, type OaClient, type OaClientConfig, type OaSendResult } from './oa-client.ts';
export {
  createOaTokenManager,
  type OaAccessTokenSource,
  type OaTokenManager,
  type OaTokenManagerConfig,
  type RefreshFailure,
  type RefreshFailureReason,
} from './oa-token-manager.ts';
export { parseJsonPreservingIds } from './safe-json.ts';
export { createMemoryTokenStore, type OaTokens, type TokenStore } from './token-store.ts';
export {
  computeMiniAppWebhookSignature,
  computeWebhookSignature,
  DEFAULT_WEBHOOK_TOLERANCE_MS,
  DEFAULT_WEBHOOK_VARIANT,
  verifyMiniAppWebhookSignature,
  verifyWebhookSignature,
  type VerifyWebhookInput,
  type VerifyWebhookResult,
  type WebhookSignatureVariant,
} from './webhook-signature.ts';
export {
  createZbsClient,
  type ZbsClient,
  type ZbsClientConfig,
  type ZbsPhoneResult,
  type ZbsUidResult,
} from './zbs-client.ts';
