/** Events between an address field (AddressSearch) and a map picker on the same page. */
export const PICKED_EVENT = 'decidons:address-picked';
export const FOUND_EVENT = 'decidons:address-found';
export const CHOOSE_EVENT = 'decidons:address-choose';

export interface AddressDetail {
  label: string;
  lat: number;
  lng: number;
}
