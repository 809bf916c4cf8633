// The values that flow from one stage of the pipeline to the next.

export const SUBSCRIBER_TYPES = ['buckets', 'security_hub', 'security_lake'] as const;

export type SubscriberType = (typeof SUBSCRIBER_TYPES)[number];

/** One S3 object named by a notification. The key is already URL-decoded. */
export interface ObjectRef {
  readonly bucket: string;
  readonly key: string;
  /** Size in bytes when the notification says it. */
  readonly size?: number;
}

/**
 * What one SQS message body asks of us.
 * - `objects`: fetch these objects; delete the message once all their events are sent.
 * - `acknowledge`: nothing to fetch (s3:TestEvent, ObjectRemoved, ...): delete the message.
 * A body we do not understand is not a Notification: the parser throws NotificationError.
 */
export type Notification =
  | { readonly kind: 'objects'; readonly objects: readonly ObjectRef[] }
  | { readonly kind: 'acknowledge'; readonly reason: string };

/** An event ready for Wazuh: serialised as JSON after `1:Wazuh-AWS:`. */
export type WazuhEvent = Record<string, unknown>;
