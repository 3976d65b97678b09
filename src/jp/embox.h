/* The ideographic em box: the square a Japanese character is designed
 * in, as the font places it on the Latin baseline. In Noto CJK it spans
 * JP_EM_TOP of the size above the baseline and JP_EM_BOTTOM below.
 * Whatever puts a line on the grid, measures the room over or under
 * text, or stands a glyph upright in vertical text goes by these, so all
 * of them agree. Constants only. */
#ifndef KM_JP_EMBOX_H
#define KM_JP_EMBOX_H

#define JP_EM_TOP 0.88               /* above the baseline, in ems */
#define JP_EM_BOTTOM (1 - JP_EM_TOP) /* below it: 0.12 */
/* its centre line above the baseline (0.38): upright glyphs of a
 * vertical line are centred on it */
#define JP_EM_CENTRE ((JP_EM_TOP - JP_EM_BOTTOM) / 2)

#endif
