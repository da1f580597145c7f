/*
 * emoji.c -- Hugo's enableEmoji: ":smile:" in a page's rendered HTML
 * becomes the emoji.
 *
 * Hugo 0.111 (helpers/emoji.go) runs its Emojify over the rendered
 * content, code spans included, with the codes of github.com/kyokomi/
 * emoji/v2 (GitHub's list).  The table below is the commonest few
 * hundred of those codes; each value was read off the output of Debian's
 * hugo 0.111 for a page listing the code (generated, then sorted by
 * bytes for bsearch).  A code not in it stays as text, as an unknown one
 * does in Hugo.  The scan is a port of Emojify's, quirks and all: a
 * colon opens a code only if another colon follows within the window and
 * no space comes before it; after a code the search goes on from Hugo's
 * position, so ":smile::smile:" gives two emoji as Hugo's does.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "emoji.h"
#include "util.h"

struct emoji {
	const char	*code;		/* with its colons */
	const char	*utf8;
};

static const struct emoji emojis[] = {
	{ ":+1:", "\xf0\x9f\x91\x8d" },	/* U+1F44D */
	{ ":-1:", "\xf0\x9f\x91\x8e" },	/* U+1F44E */
	{ ":100:", "\xf0\x9f\x92\xaf" },	/* U+1F4AF */
	{ ":1st_place_medal:", "\xf0\x9f\xa5\x87" },	/* U+1F947 */
	{ ":airplane:", "\xe2\x9c\x88\xef\xb8\x8f" },	/* U+2708 U+FE0F */
	{ ":alarm_clock:", "\xe2\x8f\xb0" },	/* U+23F0 */
	{ ":alien:", "\xf0\x9f\x91\xbd" },	/* U+1F47D */
	{ ":anger:", "\xf0\x9f\x92\xa2" },	/* U+1F4A2 */
	{ ":angry:", "\xf0\x9f\x98\xa0" },	/* U+1F620 */
	{ ":ant:", "\xf0\x9f\x90\x9c" },	/* U+1F41C */
	{ ":apple:", "\xf0\x9f\x8d\x8e" },	/* U+1F34E */
	{ ":arrow_down:", "\xe2\xac\x87\xef\xb8\x8f" },	/* U+2B07 U+FE0F */
	{ ":arrow_left:", "\xe2\xac\x85\xef\xb8\x8f" },	/* U+2B05 U+FE0F */
	{ ":arrow_right:", "\xe2\x9e\xa1\xef\xb8\x8f" },	/* U+27A1 U+FE0F */
	{ ":arrow_up:", "\xe2\xac\x86\xef\xb8\x8f" },	/* U+2B06 U+FE0F */
	{ ":arrows_counterclockwise:", "\xf0\x9f\x94\x84" },	/* U+1F504 */
	{ ":astonished:", "\xf0\x9f\x98\xb2" },	/* U+1F632 */
	{ ":avocado:", "\xf0\x9f\xa5\x91" },	/* U+1F951 */
	{ ":baby_chick:", "\xf0\x9f\x90\xa4" },	/* U+1F424 */
	{ ":balloon:", "\xf0\x9f\x8e\x88" },	/* U+1F388 */
	{ ":ballot_box_with_check:", "\xe2\x98\x91\xef\xb8\x8f" },	/* U+2611 U+FE0F */
	{ ":banana:", "\xf0\x9f\x8d\x8c" },	/* U+1F34C */
	{ ":bangbang:", "\xe2\x80\xbc\xef\xb8\x8f" },	/* U+203C U+FE0F */
	{ ":bar_chart:", "\xf0\x9f\x93\x8a" },	/* U+1F4CA */
	{ ":battery:", "\xf0\x9f\x94\x8b" },	/* U+1F50B */
	{ ":bear:", "\xf0\x9f\x90\xbb" },	/* U+1F43B */
	{ ":bee:", "\xf0\x9f\x90\x9d" },	/* U+1F41D */
	{ ":beer:", "\xf0\x9f\x8d\xba" },	/* U+1F37A */
	{ ":beers:", "\xf0\x9f\x8d\xbb" },	/* U+1F37B */
	{ ":bell:", "\xf0\x9f\x94\x94" },	/* U+1F514 */
	{ ":bike:", "\xf0\x9f\x9a\xb2" },	/* U+1F6B2 */
	{ ":bird:", "\xf0\x9f\x90\xa6" },	/* U+1F426 */
	{ ":birthday:", "\xf0\x9f\x8e\x82" },	/* U+1F382 */
	{ ":black_circle:", "\xe2\x9a\xab" },	/* U+26AB */
	{ ":black_heart:", "\xf0\x9f\x96\xa4" },	/* U+1F5A4 */
	{ ":blue_heart:", "\xf0\x9f\x92\x99" },	/* U+1F499 */
	{ ":blush:", "\xf0\x9f\x98\x8a" },	/* U+1F60A */
	{ ":book:", "\xf0\x9f\x93\x96" },	/* U+1F4D6 */
	{ ":bookmark:", "\xf0\x9f\x94\x96" },	/* U+1F516 */
	{ ":books:", "\xf0\x9f\x93\x9a" },	/* U+1F4DA */
	{ ":boom:", "\xf0\x9f\x92\xa5" },	/* U+1F4A5 */
	{ ":bread:", "\xf0\x9f\x8d\x9e" },	/* U+1F35E */
	{ ":broken_heart:", "\xf0\x9f\x92\x94" },	/* U+1F494 */
	{ ":bug:", "\xf0\x9f\x90\x9b" },	/* U+1F41B */
	{ ":bulb:", "\xf0\x9f\x92\xa1" },	/* U+1F4A1 */
	{ ":bus:", "\xf0\x9f\x9a\x8c" },	/* U+1F68C */
	{ ":cake:", "\xf0\x9f\x8d\xb0" },	/* U+1F370 */
	{ ":calendar:", "\xf0\x9f\x93\x86" },	/* U+1F4C6 */
	{ ":call_me_hand:", "\xf0\x9f\xa4\x99" },	/* U+1F919 */
	{ ":camera:", "\xf0\x9f\x93\xb7" },	/* U+1F4F7 */
	{ ":car:", "\xf0\x9f\x9a\x97" },	/* U+1F697 */
	{ ":cat:", "\xf0\x9f\x90\xb1" },	/* U+1F431 */
	{ ":chart_with_downwards_trend:", "\xf0\x9f\x93\x89" },	/* U+1F4C9 */
	{ ":chart_with_upwards_trend:", "\xf0\x9f\x93\x88" },	/* U+1F4C8 */
	{ ":checkered_flag:", "\xf0\x9f\x8f\x81" },	/* U+1F3C1 */
	{ ":cheese:", "\xf0\x9f\xa7\x80" },	/* U+1F9C0 */
	{ ":cherries:", "\xf0\x9f\x8d\x92" },	/* U+1F352 */
	{ ":chicken:", "\xf0\x9f\x90\x94" },	/* U+1F414 */
	{ ":clap:", "\xf0\x9f\x91\x8f" },	/* U+1F44F */
	{ ":clipboard:", "\xf0\x9f\x93\x8b" },	/* U+1F4CB */
	{ ":cloud:", "\xe2\x98\x81\xef\xb8\x8f" },	/* U+2601 U+FE0F */
	{ ":clown_face:", "\xf0\x9f\xa4\xa1" },	/* U+1F921 */
	{ ":cn:", "\xf0\x9f\x87\xa8\xf0\x9f\x87\xb3" },	/* U+1F1E8 U+1F1F3 */
	{ ":cocktail:", "\xf0\x9f\x8d\xb8" },	/* U+1F378 */
	{ ":coffee:", "\xe2\x98\x95" },	/* U+2615 */
	{ ":cold_sweat:", "\xf0\x9f\x98\xb0" },	/* U+1F630 */
	{ ":collision:", "\xf0\x9f\x92\xa5" },	/* U+1F4A5 */
	{ ":computer:", "\xf0\x9f\x92\xbb" },	/* U+1F4BB */
	{ ":confetti_ball:", "\xf0\x9f\x8e\x8a" },	/* U+1F38A */
	{ ":confounded:", "\xf0\x9f\x98\x96" },	/* U+1F616 */
	{ ":confused:", "\xf0\x9f\x98\x95" },	/* U+1F615 */
	{ ":construction:", "\xf0\x9f\x9a\xa7" },	/* U+1F6A7 */
	{ ":cookie:", "\xf0\x9f\x8d\xaa" },	/* U+1F36A */
	{ ":cool:", "\xf0\x9f\x86\x92" },	/* U+1F192 */
	{ ":copyright:", "\xc2\xa9\xef\xb8\x8f" },	/* U+00A9 U+FE0F */
	{ ":cow:", "\xf0\x9f\x90\xae" },	/* U+1F42E */
	{ ":crescent_moon:", "\xf0\x9f\x8c\x99" },	/* U+1F319 */
	{ ":crossed_fingers:", "\xf0\x9f\xa4\x9e" },	/* U+1F91E */
	{ ":cry:", "\xf0\x9f\x98\xa2" },	/* U+1F622 */
	{ ":cupid:", "\xf0\x9f\x92\x98" },	/* U+1F498 */
	{ ":dash:", "\xf0\x9f\x92\xa8" },	/* U+1F4A8 */
	{ ":date:", "\xf0\x9f\x93\x85" },	/* U+1F4C5 */
	{ ":de:", "\xf0\x9f\x87\xa9\xf0\x9f\x87\xaa" },	/* U+1F1E9 U+1F1EA */
	{ ":desktop_computer:", "\xf0\x9f\x96\xa5\xef\xb8\x8f" },	/* U+1F5A5 U+FE0F */
	{ ":disappointed:", "\xf0\x9f\x98\x9e" },	/* U+1F61E */
	{ ":dizzy:", "\xf0\x9f\x92\xab" },	/* U+1F4AB */
	{ ":dizzy_face:", "\xf0\x9f\x98\xb5" },	/* U+1F635 */
	{ ":dog:", "\xf0\x9f\x90\xb6" },	/* U+1F436 */
	{ ":dolphin:", "\xf0\x9f\x90\xac" },	/* U+1F42C */
	{ ":doughnut:", "\xf0\x9f\x8d\xa9" },	/* U+1F369 */
	{ ":dragon:", "\xf0\x9f\x90\x89" },	/* U+1F409 */
	{ ":earth_africa:", "\xf0\x9f\x8c\x8d" },	/* U+1F30D */
	{ ":earth_americas:", "\xf0\x9f\x8c\x8e" },	/* U+1F30E */
	{ ":earth_asia:", "\xf0\x9f\x8c\x8f" },	/* U+1F30F */
	{ ":egg:", "\xf0\x9f\xa5\x9a" },	/* U+1F95A */
	{ ":electric_plug:", "\xf0\x9f\x94\x8c" },	/* U+1F50C */
	{ ":email:", "\xe2\x9c\x89\xef\xb8\x8f" },	/* U+2709 U+FE0F */
	{ ":envelope:", "\xe2\x9c\x89" },	/* U+2709 */
	{ ":es:", "\xf0\x9f\x87\xaa\xf0\x9f\x87\xb8" },	/* U+1F1EA U+1F1F8 */
	{ ":exclamation:", "\xe2\x9d\x97" },	/* U+2757 */
	{ ":expressionless:", "\xf0\x9f\x98\x91" },	/* U+1F611 */
	{ ":eye:", "\xf0\x9f\x91\x81\xef\xb8\x8f" },	/* U+1F441 U+FE0F */
	{ ":eyes:", "\xf0\x9f\x91\x80" },	/* U+1F440 */
	{ ":face_with_rolling_eyes:", "\xf0\x9f\x99\x84" },	/* U+1F644 */
	{ ":facepunch:", "\xf0\x9f\x91\x8a" },	/* U+1F44A */
	{ ":fearful:", "\xf0\x9f\x98\xa8" },	/* U+1F628 */
	{ ":file_folder:", "\xf0\x9f\x93\x81" },	/* U+1F4C1 */
	{ ":fire:", "\xf0\x9f\x94\xa5" },	/* U+1F525 */
	{ ":fish:", "\xf0\x9f\x90\x9f" },	/* U+1F41F */
	{ ":fist:", "\xe2\x9c\x8a" },	/* U+270A */
	{ ":flushed:", "\xf0\x9f\x98\xb3" },	/* U+1F633 */
	{ ":fox_face:", "\xf0\x9f\xa6\x8a" },	/* U+1F98A */
	{ ":fr:", "\xf0\x9f\x87\xab\xf0\x9f\x87\xb7" },	/* U+1F1EB U+1F1F7 */
	{ ":free:", "\xf0\x9f\x86\x93" },	/* U+1F193 */
	{ ":fries:", "\xf0\x9f\x8d\x9f" },	/* U+1F35F */
	{ ":frog:", "\xf0\x9f\x90\xb8" },	/* U+1F438 */
	{ ":frowning_face:", "\xe2\x98\xb9" },	/* U+2639 */
	{ ":full_moon:", "\xf0\x9f\x8c\x95" },	/* U+1F315 */
	{ ":gb:", "\xf0\x9f\x87\xac\xf0\x9f\x87\xa7" },	/* U+1F1EC U+1F1E7 */
	{ ":gear:", "\xe2\x9a\x99\xef\xb8\x8f" },	/* U+2699 U+FE0F */
	{ ":ghost:", "\xf0\x9f\x91\xbb" },	/* U+1F47B */
	{ ":gift:", "\xf0\x9f\x8e\x81" },	/* U+1F381 */
	{ ":gift_heart:", "\xf0\x9f\x92\x9d" },	/* U+1F49D */
	{ ":globe_with_meridians:", "\xf0\x9f\x8c\x90" },	/* U+1F310 */
	{ ":grapes:", "\xf0\x9f\x8d\x87" },	/* U+1F347 */
	{ ":green_apple:", "\xf0\x9f\x8d\x8f" },	/* U+1F34F */
	{ ":green_heart:", "\xf0\x9f\x92\x9a" },	/* U+1F49A */
	{ ":grey_exclamation:", "\xe2\x9d\x95" },	/* U+2755 */
	{ ":grey_question:", "\xe2\x9d\x94" },	/* U+2754 */
	{ ":grimacing:", "\xf0\x9f\x98\xac" },	/* U+1F62C */
	{ ":grin:", "\xf0\x9f\x98\x81" },	/* U+1F601 */
	{ ":grinning:", "\xf0\x9f\x98\x80" },	/* U+1F600 */
	{ ":hamburger:", "\xf0\x9f\x8d\x94" },	/* U+1F354 */
	{ ":hammer:", "\xf0\x9f\x94\xa8" },	/* U+1F528 */
	{ ":hand:", "\xe2\x9c\x8b" },	/* U+270B */
	{ ":hankey:", "\xf0\x9f\x92\xa9" },	/* U+1F4A9 */
	{ ":heart:", "\xe2\x9d\xa4\xef\xb8\x8f" },	/* U+2764 U+FE0F */
	{ ":heart_decoration:", "\xf0\x9f\x92\x9f" },	/* U+1F49F */
	{ ":heart_eyes:", "\xf0\x9f\x98\x8d" },	/* U+1F60D */
	{ ":heartbeat:", "\xf0\x9f\x92\x93" },	/* U+1F493 */
	{ ":heartpulse:", "\xf0\x9f\x92\x97" },	/* U+1F497 */
	{ ":heavy_check_mark:", "\xe2\x9c\x94\xef\xb8\x8f" },	/* U+2714 U+FE0F */
	{ ":heavy_minus_sign:", "\xe2\x9e\x96" },	/* U+2796 */
	{ ":heavy_plus_sign:", "\xe2\x9e\x95" },	/* U+2795 */
	{ ":hospital:", "\xf0\x9f\x8f\xa5" },	/* U+1F3E5 */
	{ ":hourglass:", "\xe2\x8c\x9b" },	/* U+231B */
	{ ":house:", "\xf0\x9f\x8f\xa0" },	/* U+1F3E0 */
	{ ":hugs:", "\xf0\x9f\xa4\x97" },	/* U+1F917 */
	{ ":hushed:", "\xf0\x9f\x98\xaf" },	/* U+1F62F */
	{ ":imp:", "\xf0\x9f\x91\xbf" },	/* U+1F47F */
	{ ":inbox_tray:", "\xf0\x9f\x93\xa5" },	/* U+1F4E5 */
	{ ":information_source:", "\xe2\x84\xb9\xef\xb8\x8f" },	/* U+2139 U+FE0F */
	{ ":innocent:", "\xf0\x9f\x98\x87" },	/* U+1F607 */
	{ ":interrobang:", "\xe2\x81\x89\xef\xb8\x8f" },	/* U+2049 U+FE0F */
	{ ":iphone:", "\xf0\x9f\x93\xb1" },	/* U+1F4F1 */
	{ ":it:", "\xf0\x9f\x87\xae\xf0\x9f\x87\xb9" },	/* U+1F1EE U+1F1F9 */
	{ ":joy:", "\xf0\x9f\x98\x82" },	/* U+1F602 */
	{ ":jp:", "\xf0\x9f\x87\xaf\xf0\x9f\x87\xb5" },	/* U+1F1EF U+1F1F5 */
	{ ":key:", "\xf0\x9f\x94\x91" },	/* U+1F511 */
	{ ":keyboard:", "\xe2\x8c\xa8\xef\xb8\x8f" },	/* U+2328 U+FE0F */
	{ ":kissing:", "\xf0\x9f\x98\x97" },	/* U+1F617 */
	{ ":kissing_heart:", "\xf0\x9f\x98\x98" },	/* U+1F618 */
	{ ":koala:", "\xf0\x9f\x90\xa8" },	/* U+1F428 */
	{ ":kr:", "\xf0\x9f\x87\xb0\xf0\x9f\x87\xb7" },	/* U+1F1F0 U+1F1F7 */
	{ ":large_blue_circle:", "\xf0\x9f\x94\xb5" },	/* U+1F535 */
	{ ":laughing:", "\xf0\x9f\x98\x86" },	/* U+1F606 */
	{ ":lemon:", "\xf0\x9f\x8d\x8b" },	/* U+1F34B */
	{ ":link:", "\xf0\x9f\x94\x97" },	/* U+1F517 */
	{ ":lion:", "\xf0\x9f\xa6\x81" },	/* U+1F981 */
	{ ":lock:", "\xf0\x9f\x94\x92" },	/* U+1F512 */
	{ ":loudspeaker:", "\xf0\x9f\x93\xa2" },	/* U+1F4E2 */
	{ ":mag:", "\xf0\x9f\x94\x8d" },	/* U+1F50D */
	{ ":mag_right:", "\xf0\x9f\x94\x8e" },	/* U+1F50E */
	{ ":mailbox:", "\xf0\x9f\x93\xab" },	/* U+1F4EB */
	{ ":mask:", "\xf0\x9f\x98\xb7" },	/* U+1F637 */
	{ ":medal_sports:", "\xf0\x9f\x8f\x85" },	/* U+1F3C5 */
	{ ":mega:", "\xf0\x9f\x93\xa3" },	/* U+1F4E3 */
	{ ":memo:", "\xf0\x9f\x93\x9d" },	/* U+1F4DD */
	{ ":metal:", "\xf0\x9f\xa4\x98" },	/* U+1F918 */
	{ ":monkey:", "\xf0\x9f\x90\x92" },	/* U+1F412 */
	{ ":moon:", "\xf0\x9f\x8c\x94" },	/* U+1F314 */
	{ ":mountain:", "\xe2\x9b\xb0\xef\xb8\x8f" },	/* U+26F0 U+FE0F */
	{ ":mouse:", "\xf0\x9f\x90\xad" },	/* U+1F42D */
	{ ":movie_camera:", "\xf0\x9f\x8e\xa5" },	/* U+1F3A5 */
	{ ":muscle:", "\xf0\x9f\x92\xaa" },	/* U+1F4AA */
	{ ":negative_squared_cross_mark:", "\xe2\x9d\x8e" },	/* U+274E */
	{ ":nerd_face:", "\xf0\x9f\xa4\x93" },	/* U+1F913 */
	{ ":neutral_face:", "\xf0\x9f\x98\x90" },	/* U+1F610 */
	{ ":new:", "\xf0\x9f\x86\x95" },	/* U+1F195 */
	{ ":new_moon:", "\xf0\x9f\x8c\x91" },	/* U+1F311 */
	{ ":no_bell:", "\xf0\x9f\x94\x95" },	/* U+1F515 */
	{ ":no_entry:", "\xe2\x9b\x94" },	/* U+26D4 */
	{ ":no_entry_sign:", "\xf0\x9f\x9a\xab" },	/* U+1F6AB */
	{ ":no_mouth:", "\xf0\x9f\x98\xb6" },	/* U+1F636 */
	{ ":notebook:", "\xf0\x9f\x93\x93" },	/* U+1F4D3 */
	{ ":ocean:", "\xf0\x9f\x8c\x8a" },	/* U+1F30A */
	{ ":octopus:", "\xf0\x9f\x90\x99" },	/* U+1F419 */
	{ ":office:", "\xf0\x9f\x8f\xa2" },	/* U+1F3E2 */
	{ ":ok:", "\xf0\x9f\x86\x97" },	/* U+1F197 */
	{ ":ok_hand:", "\xf0\x9f\x91\x8c" },	/* U+1F44C */
	{ ":open_file_folder:", "\xf0\x9f\x93\x82" },	/* U+1F4C2 */
	{ ":open_mouth:", "\xf0\x9f\x98\xae" },	/* U+1F62E */
	{ ":outbox_tray:", "\xf0\x9f\x93\xa4" },	/* U+1F4E4 */
	{ ":package:", "\xf0\x9f\x93\xa6" },	/* U+1F4E6 */
	{ ":panda_face:", "\xf0\x9f\x90\xbc" },	/* U+1F43C */
	{ ":paperclip:", "\xf0\x9f\x93\x8e" },	/* U+1F4CE */
	{ ":pencil2:", "\xe2\x9c\x8f\xef\xb8\x8f" },	/* U+270F U+FE0F */
	{ ":pencil:", "\xe2\x9c\x8f" },	/* U+270F */
	{ ":penguin:", "\xf0\x9f\x90\xa7" },	/* U+1F427 */
	{ ":pensive:", "\xf0\x9f\x98\x94" },	/* U+1F614 */
	{ ":persevere:", "\xf0\x9f\x98\xa3" },	/* U+1F623 */
	{ ":phone:", "\xe2\x98\x8e\xef\xb8\x8f" },	/* U+260E U+FE0F */
	{ ":pig:", "\xf0\x9f\x90\xb7" },	/* U+1F437 */
	{ ":pizza:", "\xf0\x9f\x8d\x95" },	/* U+1F355 */
	{ ":point_down:", "\xf0\x9f\x91\x87" },	/* U+1F447 */
	{ ":point_left:", "\xf0\x9f\x91\x88" },	/* U+1F448 */
	{ ":point_right:", "\xf0\x9f\x91\x89" },	/* U+1F449 */
	{ ":point_up:", "\xe2\x98\x9d\xef\xb8\x8f" },	/* U+261D U+FE0F */
	{ ":poop:", "\xf0\x9f\x92\xa9" },	/* U+1F4A9 */
	{ ":pray:", "\xf0\x9f\x99\x8f" },	/* U+1F64F */
	{ ":punch:", "\xf0\x9f\x91\x8a" },	/* U+1F44A */
	{ ":purple_heart:", "\xf0\x9f\x92\x9c" },	/* U+1F49C */
	{ ":pushpin:", "\xf0\x9f\x93\x8c" },	/* U+1F4CC */
	{ ":question:", "\xe2\x9d\x93" },	/* U+2753 */
	{ ":rabbit:", "\xf0\x9f\x90\xb0" },	/* U+1F430 */
	{ ":radio:", "\xf0\x9f\x93\xbb" },	/* U+1F4FB */
	{ ":rage:", "\xf0\x9f\x98\xa1" },	/* U+1F621 */
	{ ":rainbow:", "\xf0\x9f\x8c\x88" },	/* U+1F308 */
	{ ":rainbow_flag:", "\xf0\x9f\x8f\xb3\xef\xb8\x8f\xe2\x80\x8d\xf0\x9f\x8c\x88" },	/* U+1F3F3 U+FE0F U+200D U+1F308 */
	{ ":raised_hand:", "\xe2\x9c\x8b" },	/* U+270B */
	{ ":raised_hands:", "\xf0\x9f\x99\x8c" },	/* U+1F64C */
	{ ":recycle:", "\xe2\x99\xbb\xef\xb8\x8f" },	/* U+267B U+FE0F */
	{ ":red_circle:", "\xf0\x9f\x94\xb4" },	/* U+1F534 */
	{ ":registered:", "\xc2\xae\xef\xb8\x8f" },	/* U+00AE U+FE0F */
	{ ":relaxed:", "\xe2\x98\xba\xef\xb8\x8f" },	/* U+263A U+FE0F */
	{ ":relieved:", "\xf0\x9f\x98\x8c" },	/* U+1F60C */
	{ ":revolving_hearts:", "\xf0\x9f\x92\x9e" },	/* U+1F49E */
	{ ":robot:", "\xf0\x9f\xa4\x96" },	/* U+1F916 */
	{ ":rocket:", "\xf0\x9f\x9a\x80" },	/* U+1F680 */
	{ ":rofl:", "\xf0\x9f\xa4\xa3" },	/* U+1F923 */
	{ ":rotating_light:", "\xf0\x9f\x9a\xa8" },	/* U+1F6A8 */
	{ ":round_pushpin:", "\xf0\x9f\x93\x8d" },	/* U+1F4CD */
	{ ":ru:", "\xf0\x9f\x87\xb7\xf0\x9f\x87\xba" },	/* U+1F1F7 U+1F1FA */
	{ ":satisfied:", "\xf0\x9f\x98\x86" },	/* U+1F606 */
	{ ":school:", "\xf0\x9f\x8f\xab" },	/* U+1F3EB */
	{ ":scissors:", "\xe2\x9c\x82\xef\xb8\x8f" },	/* U+2702 U+FE0F */
	{ ":scream:", "\xf0\x9f\x98\xb1" },	/* U+1F631 */
	{ ":ship:", "\xf0\x9f\x9a\xa2" },	/* U+1F6A2 */
	{ ":skull:", "\xf0\x9f\x92\x80" },	/* U+1F480 */
	{ ":sleeping:", "\xf0\x9f\x98\xb4" },	/* U+1F634 */
	{ ":sleepy:", "\xf0\x9f\x98\xaa" },	/* U+1F62A */
	{ ":slightly_frowning_face:", "\xf0\x9f\x99\x81" },	/* U+1F641 */
	{ ":slightly_smiling_face:", "\xf0\x9f\x99\x82" },	/* U+1F642 */
	{ ":smile:", "\xf0\x9f\x98\x84" },	/* U+1F604 */
	{ ":smiley:", "\xf0\x9f\x98\x83" },	/* U+1F603 */
	{ ":smiling_imp:", "\xf0\x9f\x98\x88" },	/* U+1F608 */
	{ ":smirk:", "\xf0\x9f\x98\x8f" },	/* U+1F60F */
	{ ":snail:", "\xf0\x9f\x90\x8c" },	/* U+1F40C */
	{ ":snake:", "\xf0\x9f\x90\x8d" },	/* U+1F40D */
	{ ":snowflake:", "\xe2\x9d\x84\xef\xb8\x8f" },	/* U+2744 U+FE0F */
	{ ":sob:", "\xf0\x9f\x98\xad" },	/* U+1F62D */
	{ ":sos:", "\xf0\x9f\x86\x98" },	/* U+1F198 */
	{ ":sparkles:", "\xe2\x9c\xa8" },	/* U+2728 */
	{ ":sparkling_heart:", "\xf0\x9f\x92\x96" },	/* U+1F496 */
	{ ":spiral_calendar:", "\xf0\x9f\x97\x93" },	/* U+1F5D3 */
	{ ":star2:", "\xf0\x9f\x8c\x9f" },	/* U+1F31F */
	{ ":star:", "\xe2\xad\x90" },	/* U+2B50 */
	{ ":stars:", "\xf0\x9f\x8c\xa0" },	/* U+1F320 */
	{ ":stop_sign:", "\xf0\x9f\x9b\x91" },	/* U+1F6D1 */
	{ ":stopwatch:", "\xe2\x8f\xb1\xef\xb8\x8f" },	/* U+23F1 U+FE0F */
	{ ":strawberry:", "\xf0\x9f\x8d\x93" },	/* U+1F353 */
	{ ":stuck_out_tongue:", "\xf0\x9f\x98\x9b" },	/* U+1F61B */
	{ ":stuck_out_tongue_closed_eyes:", "\xf0\x9f\x98\x9d" },	/* U+1F61D */
	{ ":stuck_out_tongue_winking_eye:", "\xf0\x9f\x98\x9c" },	/* U+1F61C */
	{ ":sun_with_face:", "\xf0\x9f\x8c\x9e" },	/* U+1F31E */
	{ ":sunglasses:", "\xf0\x9f\x98\x8e" },	/* U+1F60E */
	{ ":sunny:", "\xe2\x98\x80\xef\xb8\x8f" },	/* U+2600 U+FE0F */
	{ ":sweat:", "\xf0\x9f\x98\x93" },	/* U+1F613 */
	{ ":sweat_drops:", "\xf0\x9f\x92\xa6" },	/* U+1F4A6 */
	{ ":sweat_smile:", "\xf0\x9f\x98\x85" },	/* U+1F605 */
	{ ":tada:", "\xf0\x9f\x8e\x89" },	/* U+1F389 */
	{ ":taxi:", "\xf0\x9f\x9a\x95" },	/* U+1F695 */
	{ ":tea:", "\xf0\x9f\x8d\xb5" },	/* U+1F375 */
	{ ":telephone:", "\xe2\x98\x8e" },	/* U+260E */
	{ ":tent:", "\xe2\x9b\xba" },	/* U+26FA */
	{ ":thinking:", "\xf0\x9f\xa4\x94" },	/* U+1F914 */
	{ ":thumbsdown:", "\xf0\x9f\x91\x8e" },	/* U+1F44E */
	{ ":thumbsup:", "\xf0\x9f\x91\x8d" },	/* U+1F44D */
	{ ":tiger:", "\xf0\x9f\x90\xaf" },	/* U+1F42F */
	{ ":tired_face:", "\xf0\x9f\x98\xab" },	/* U+1F62B */
	{ ":tm:", "\xe2\x84\xa2\xef\xb8\x8f" },	/* U+2122 U+FE0F */
	{ ":tomato:", "\xf0\x9f\x8d\x85" },	/* U+1F345 */
	{ ":tongue:", "\xf0\x9f\x91\x85" },	/* U+1F445 */
	{ ":train:", "\xf0\x9f\x9a\x8b" },	/* U+1F68B */
	{ ":triangular_flag_on_post:", "\xf0\x9f\x9a\xa9" },	/* U+1F6A9 */
	{ ":triumph:", "\xf0\x9f\x98\xa4" },	/* U+1F624 */
	{ ":trophy:", "\xf0\x9f\x8f\x86" },	/* U+1F3C6 */
	{ ":turtle:", "\xf0\x9f\x90\xa2" },	/* U+1F422 */
	{ ":tv:", "\xf0\x9f\x93\xba" },	/* U+1F4FA */
	{ ":two_hearts:", "\xf0\x9f\x92\x95" },	/* U+1F495 */
	{ ":uk:", "\xf0\x9f\x87\xac\xf0\x9f\x87\xa7" },	/* U+1F1EC U+1F1E7 */
	{ ":umbrella:", "\xe2\x98\x82\xef\xb8\x8f" },	/* U+2602 U+FE0F */
	{ ":unamused:", "\xf0\x9f\x98\x92" },	/* U+1F612 */
	{ ":unicorn:", "\xf0\x9f\xa6\x84" },	/* U+1F984 */
	{ ":unlock:", "\xf0\x9f\x94\x93" },	/* U+1F513 */
	{ ":up:", "\xf0\x9f\x86\x99" },	/* U+1F199 */
	{ ":upside_down_face:", "\xf0\x9f\x99\x83" },	/* U+1F643 */
	{ ":us:", "\xf0\x9f\x87\xba\xf0\x9f\x87\xb8" },	/* U+1F1FA U+1F1F8 */
	{ ":v:", "\xe2\x9c\x8c\xef\xb8\x8f" },	/* U+270C U+FE0F */
	{ ":volcano:", "\xf0\x9f\x8c\x8b" },	/* U+1F30B */
	{ ":warning:", "\xe2\x9a\xa0\xef\xb8\x8f" },	/* U+26A0 U+FE0F */
	{ ":wastebasket:", "\xf0\x9f\x97\x91\xef\xb8\x8f" },	/* U+1F5D1 U+FE0F */
	{ ":watch:", "\xe2\x8c\x9a" },	/* U+231A */
	{ ":watermelon:", "\xf0\x9f\x8d\x89" },	/* U+1F349 */
	{ ":wave:", "\xf0\x9f\x91\x8b" },	/* U+1F44B */
	{ ":weary:", "\xf0\x9f\x98\xa9" },	/* U+1F629 */
	{ ":whale:", "\xf0\x9f\x90\xb3" },	/* U+1F433 */
	{ ":white_check_mark:", "\xe2\x9c\x85" },	/* U+2705 */
	{ ":white_circle:", "\xe2\x9a\xaa" },	/* U+26AA */
	{ ":white_flag:", "\xf0\x9f\x8f\xb3" },	/* U+1F3F3 */
	{ ":wine_glass:", "\xf0\x9f\x8d\xb7" },	/* U+1F377 */
	{ ":wink:", "\xf0\x9f\x98\x89" },	/* U+1F609 */
	{ ":worried:", "\xf0\x9f\x98\x9f" },	/* U+1F61F */
	{ ":wrench:", "\xf0\x9f\x94\xa7" },	/* U+1F527 */
	{ ":writing_hand:", "\xe2\x9c\x8d\xef\xb8\x8f" },	/* U+270D U+FE0F */
	{ ":x:", "\xe2\x9d\x8c" },	/* U+274C */
	{ ":yellow_heart:", "\xf0\x9f\x92\x9b" },	/* U+1F49B */
	{ ":yum:", "\xf0\x9f\x98\x8b" },	/* U+1F60B */
	{ ":zap:", "\xe2\x9a\xa1" },	/* U+26A1 */
	{ ":zipper_mouth_face:", "\xf0\x9f\xa4\x90" },	/* U+1F910 */
	{ ":zzz:", "\xf0\x9f\x92\xa4" },	/* U+1F4A4 */
};

/* Hugo's window is its longest code; kyokomi's longest are the long
 * flag names, under this. */
#define EMOJI_WINDOW	64

static int
emoji_cmp(const void *key, const void *elem)
{
	const struct emoji *e = elem;
	const struct emoji *k = key;

	return strcmp(k->code, e->code);
}

const char *
emoji_lookup(const char *code, size_t len)
{
	char key[EMOJI_WINDOW + 1];
	struct emoji k = { key, NULL };
	const struct emoji *e;

	if (len > EMOJI_WINDOW)
		return NULL;
	memcpy(key, code, len);
	key[len] = '\0';
	e = bsearch(&k, emojis, nitems(emojis), sizeof emojis[0], emoji_cmp);
	return e != NULL ? e->utf8 : NULL;
}

static const char *
find_byte(const char *s, size_t len, int c)
{
	return memchr(s, c, len);
}

/* Replaces len bytes at off with the n bytes of with. */
static void
splice(struct buf *b, size_t off, size_t len, const char *with, size_t n)
{
	if (n > len)
		buf_reserve(b, n - len);
	memmove(b->data + off + n, b->data + off + len, b->len - off - len + 1);
	memcpy(b->data + off, with, n);
	b->len = b->len - len + n;
}

/* Emojify's loop: positions are Hugo's (start moves as its does). */
int
emoji_replace(struct buf *b)
{
	const char *colon, *end, *space, *emoji;
	size_t start = 0, j, upper, close, elen;
	int replaced = 0;

	while (start < b->len &&
	    (colon = find_byte(b->data + start, b->len - start, ':')) != NULL) {
		j = (size_t)(colon - b->data);
		upper = j + EMOJI_WINDOW < b->len ? j + EMOJI_WINDOW : b->len;
		end = find_byte(b->data + j + 1, upper - j - 1, ':');
		space = find_byte(b->data + j, upper - j, ' ');
		if (end == NULL) {
			start++;
			continue;
		}
		close = (size_t)(end - (b->data + j + 1));
		if (close == 0 || (space != NULL &&
		    (size_t)(space - (b->data + j)) < close)) {
			start += close + 1;
			continue;
		}
		if ((emoji = emoji_lookup(b->data + j, close + 2)) != NULL) {
			elen = strlen(emoji);
			splice(b, j, close + 2, emoji, elen);
			replaced++;
		}
		start += close;
	}
	return replaced;
}

char *
emoji_string(char *s)
{
	struct buf b;

	if (s == NULL || strchr(s, ':') == NULL)
		return s;
	buf_init(&b);
	buf_addstr(&b, s);
	free(s);
	emoji_replace(&b);
	return buf_steal(&b);
}
