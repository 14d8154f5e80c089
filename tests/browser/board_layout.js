// What the room sees, measured in the page: every element that holds text directly must be on
// the screen, whole (not cut by its own box or a box that hides overflow), and at least minText
// px; the page must not scroll; the join code must be at least minCode px.
// Used by tests/browser/test_projected_board.py as page.evaluate(source, [minText, minCode]).
([minText, minCode]) => {
  const problems = [];
  const doc = document.documentElement;
  const W = window.innerWidth, H = window.innerHeight;
  if (doc.scrollHeight > H) problems.push(`page scrolls: ${doc.scrollHeight} > ${H}`);
  if (doc.scrollWidth > W) problems.push(`page scrolls sideways: ${doc.scrollWidth} > ${W}`);
  const describe = (el) => `${el.tagName.toLowerCase()}.${el.className} "${el.textContent.trim().slice(0, 40)}"`;
  let texts = 0;
  for (const el of document.body.querySelectorAll('*')) {
    if (['SCRIPT', 'STYLE', 'svg', 'path'].includes(el.tagName)) continue;
    const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!own) continue;
    const rects = el.getClientRects();
    if (!rects.length) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || Number(style.opacity) === 0) continue;
    if (el.closest('.visually-hidden')) continue;
    texts += 1;
    const size = parseFloat(style.fontSize);
    if (size < minText - 0.01) problems.push(`${size}px text: ${describe(el)}`);
    const box = el.getBoundingClientRect();
    if (box.left < -0.5 || box.top < -0.5 || box.right > W + 0.5 || box.bottom > H + 0.5) {
      problems.push(`outside the screen (${Math.round(box.left)},${Math.round(box.top)},${Math.round(box.right)},${Math.round(box.bottom)}): ${describe(el)}`);
    }
    if (style.display !== 'inline' && (el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1)) {
      problems.push(`text overflows its box (${el.scrollWidth}x${el.scrollHeight} in ${el.clientWidth}x${el.clientHeight}): ${describe(el)}`);
    }
    if (style.display !== 'inline' && el.getClientRects().length > 1) {
      problems.push(`text split over two columns: ${describe(el)}`);
    }
    if (style.textOverflow === 'ellipsis' || (style.webkitLineClamp && style.webkitLineClamp !== 'none')) {
      problems.push(`text cut with an ellipsis: ${describe(el)}`);
    }
    // Cut by a box that hides what overflows it.
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      const overflow = getComputedStyle(up);
      if (overflow.overflowX === 'visible' && overflow.overflowY === 'visible') continue;
      const clip = up.getBoundingClientRect();
      if (box.left < clip.left - 0.5 || box.top < clip.top - 0.5 || box.right > clip.right + 0.5 || box.bottom > clip.bottom + 0.5) {
        problems.push(`cut by ${up.tagName.toLowerCase()}.${up.className}: ${describe(el)}`);
        break;
      }
    }
  }
  const code = document.getElementById('join-code');
  const codeSize = parseFloat(getComputedStyle(code).fontSize);
  if (codeSize < minCode) problems.push(`join code at ${codeSize}px`);
  return {problems: problems.slice(0, 20), texts};
}
