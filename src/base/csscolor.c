/*
 * csscolor.c -- the CSS3 colour names, which RFC 7986 section 5.9 makes
 * the only values of an iCalendar COLOR property.
 *
 * A calendar client that does not know a name ignores it, so a misspelt
 * colour would be silently lost: the settings check every name here, and
 * a bad one stops start-up with its line.  Names are matched with ASCII
 * case folded (CSS does) and written in lower case.  "rebeccapurple" is
 * CSS4, not CSS3, so it is not here.
 */
#include <stdlib.h>
#include <string.h>

#include "ascii.h"
#include "csscolor.h"
#include "util.h"

/* Sorted, for bsearch. */
static const char *const names[] = {
	"aliceblue", "antiquewhite", "aqua", "aquamarine", "azure", "beige",
	"bisque", "black", "blanchedalmond", "blue", "blueviolet", "brown",
	"burlywood", "cadetblue", "chartreuse", "chocolate", "coral",
	"cornflowerblue", "cornsilk", "crimson", "cyan", "darkblue",
	"darkcyan", "darkgoldenrod", "darkgray", "darkgreen", "darkgrey",
	"darkkhaki", "darkmagenta", "darkolivegreen", "darkorange",
	"darkorchid", "darkred", "darksalmon", "darkseagreen",
	"darkslateblue", "darkslategray", "darkslategrey", "darkturquoise",
	"darkviolet", "deeppink", "deepskyblue", "dimgray", "dimgrey",
	"dodgerblue", "firebrick", "floralwhite", "forestgreen", "fuchsia",
	"gainsboro", "ghostwhite", "gold", "goldenrod", "gray", "green",
	"greenyellow", "grey", "honeydew", "hotpink", "indianred", "indigo",
	"ivory", "khaki", "lavender", "lavenderblush", "lawngreen",
	"lemonchiffon", "lightblue", "lightcoral", "lightcyan",
	"lightgoldenrodyellow", "lightgray", "lightgreen", "lightgrey",
	"lightpink", "lightsalmon", "lightseagreen", "lightskyblue",
	"lightslategray", "lightslategrey", "lightsteelblue", "lightyellow",
	"lime", "limegreen", "linen", "magenta", "maroon",
	"mediumaquamarine", "mediumblue", "mediumorchid", "mediumpurple",
	"mediumseagreen", "mediumslateblue", "mediumspringgreen",
	"mediumturquoise", "mediumvioletred", "midnightblue", "mintcream",
	"mistyrose", "moccasin", "navajowhite", "navy", "oldlace", "olive",
	"olivedrab", "orange", "orangered", "orchid", "palegoldenrod",
	"palegreen", "paleturquoise", "palevioletred", "papayawhip",
	"peachpuff", "peru", "pink", "plum", "powderblue", "purple", "red",
	"rosybrown", "royalblue", "saddlebrown", "salmon", "sandybrown",
	"seagreen", "seashell", "sienna", "silver", "skyblue", "slateblue",
	"slategray", "slategrey", "snow", "springgreen", "steelblue", "tan",
	"teal", "thistle", "tomato", "turquoise", "violet", "wheat", "white",
	"whitesmoke", "yellow", "yellowgreen"
};

static int
compare(const void *key, const void *elem)
{
	return strcmp(key, *(const char *const *)elem);
}

const char *
csscolor_name(const char *s)
{
	char low[32];
	const char *const *hit;
	size_t i;

	for (i = 0; s[i] != '\0'; i++) {
		if (i + 1 == sizeof low)
			return NULL;
		low[i] = (char)ascii_lower((unsigned char)s[i]);
	}
	low[i] = '\0';
	hit = bsearch(low, names, nitems(names), sizeof names[0], compare);
	return hit != NULL ? *hit : NULL;
}

size_t
csscolor_count(void)
{
	return nitems(names);
}
