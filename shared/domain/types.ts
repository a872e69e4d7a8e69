/**
 * Domain types shared by the hub, the station's main process and its renderer.
 * Pure data: no Node, DOM or Electron types may appear here.
 */

/** A shop's numeric platform ID. Merchants and factories are both shops (M1). */
export type ShopId = number;

export type Role = 'merchant' | 'factory';

export interface Shipper {
  name: string;
  phone: string;
  address: string;
}

export interface MerchantProfile {
  role: 'merchant';
  /** Used only for binding; need not be the real shop name (M1). */
  displayName: string;
  shipper: Shipper;
}

export interface FactoryProfile {
  role: 'factory';
  name: string;
}

export interface Shop {
  shopId: ShopId;
  name: string;
  profile: MerchantProfile | FactoryProfile | null;
}

export type BindingStatus = 'pending' | 'accepted' | 'rejected';

export interface Binding {
  id: number;
  merchantShopId: ShopId;
  factoryShopId: ShopId;
  status: BindingStatus;
  requestedAt: string;
  decidedAt: string | null;
}

/** The consumer's full receiving information. Never leaves the hub in clear except inside a print payload (M4). */
export interface Recipient {
  name: string;
  phone: string;
  province: string;
  city: string;
  district: string;
  /** Street, building, room: the part that is masked for factories. */
  detail: string;
}

/** What a factory may see of the recipient (M4). */
export interface MaskedRecipient {
  name: string;
  phone: string;
  province: string;
  city: string;
  district: string;
  detail: string;
}

export interface OrderItem {
  goodsId: string;
  skuId: string;
  goodsName: string;
  spec: string;
  quantity: number;
}

/** The platform-side lifecycle of the order itself. */
export type OrderStatus = 'awaiting_shipment' | 'shipped' | 'cancelled';

export type AfterSaleState = 'none' | 'open' | 'closed';

export type AuditState = 'none' | 'hold' | 'released';

export type AllocationStatus = 'allocated' | 'cancelled';

/** Why an allocation ended: the merchant's 取消分配, or the automatic un-allocation of M3. */
export type AllocationCancelReason = 'merchant' | 'after_sale' | 'audit_hold' | 'order_cancelled';

export interface Allocation {
  factoryShopId: ShopId;
  status: AllocationStatus;
  allocatedAt: string;
  cancelledAt: string | null;
  cancelReason: AllocationCancelReason | null;
}

export type Courier = 'ZTO' | 'YTO' | 'YUNDA' | 'STO' | 'JTSD';

export type WaybillStatus = 'issued' | 'returned' | 'cancelled';

/**
 * The print station a waybill number was issued to (D10): the one station of the factory that may
 * print, return or cancel it. Another station gets it only by an explicit takeover.
 */
export interface WaybillClaim {
  stationId: number;
  stationName: string;
  claimedAt: string;
}

export interface Waybill {
  waybillNo: string;
  courier: Courier;
  /** The order's address version when the number was issued; a later address change makes it stale (M7). */
  addressVersion: number;
  status: WaybillStatus;
  issuedAt: string;
  returnedAt: string | null;
  /** The live station holding the number; null when nobody does (never claimed, or its station was revoked). */
  claim: WaybillClaim | null;
}

/** The parts of an order that decide what may be done with it. Both rule functions read only this. */
export interface OrderState {
  status: OrderStatus;
  afterSale: AfterSaleState;
  audit: AuditState;
  /** Bumped on every address_changed event. */
  addressVersion: number;
  allocation: Allocation | null;
  /** The current waybill, if one was issued and not cancelled. */
  waybill: Waybill | null;
}

export interface Order extends OrderState {
  sn: string;
  merchantShopId: ShopId;
  items: OrderItem[];
  recipient: Recipient;
  createdAt: string;
}
