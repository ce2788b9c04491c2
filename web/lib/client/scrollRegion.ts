/**
 * use:scrollRegion on a table's scroll box. Only while the table is wider than the box (a phone,
 * a narrow column), the box becomes a focusable, labelled region, so keyboard users can scroll
 * it too; otherwise it stays out of the tab order and out of the landmarks.
 */
export function scrollRegion(node: HTMLElement, labelledby?: string) {
  let label = labelledby;

  function update(): void {
    if (node.scrollWidth > node.clientWidth + 1) {
      node.tabIndex = 0;
      node.setAttribute('role', 'region');
      if (label) node.setAttribute('aria-labelledby', label);
    } else {
      node.removeAttribute('tabindex');
      node.removeAttribute('role');
      node.removeAttribute('aria-labelledby');
    }
  }

  const observer = new ResizeObserver(update);
  observer.observe(node);
  if (node.firstElementChild) observer.observe(node.firstElementChild);
  update();

  return {
    update(next?: string) {
      label = next;
      update();
    },
    destroy() {
      observer.disconnect();
    },
  };
}
