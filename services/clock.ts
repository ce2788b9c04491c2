/** The fund's calendar day (Europe/Helsinki) as YYYY-MM-DD: dates of receipt are Finnish dates. */
export function todayInFinland(now: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Helsinki', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}
