/* Unit tests of file typing and name cleaning (files.c) and of mention
 * matching through the feed (feed.c). */
#include "unit.h"
#include "files.h"
#include "util.h"

static void
test_sniff_by_content(void **state)
{
	assert_string_equal(files_sniff("\x89PNG\r\n\x1a\n....", 12), "image/png");
	assert_string_equal(files_sniff("\xff\xd8\xff\xe0", 4), "image/jpeg");
	assert_string_equal(files_sniff("GIF89a..", 8), "image/gif");
	assert_string_equal(files_sniff("RIFF\0\0\0\0WEBPVP8 ", 16), "image/webp");
	assert_string_equal(files_sniff("%PDF-1.7", 8), "application/pdf");
	assert_string_equal(files_sniff("PK\x03\x04....", 8), "application/zip");
	assert_string_equal(files_sniff("<html><script>x</script>", 24), "text/plain");
	assert_string_equal(files_sniff("<svg onload=alert(1)/>", 22), "text/plain");
	assert_null(files_sniff("\x7f" "ELF\x02\x01\x01", 7));
	assert_null(files_sniff("MZ\x90\x00\x03\x00", 6));
}

static void
test_safe_names(void **state)
{
	char out[64];
	files_safe_name("../../etc/passwd", out, sizeof(out));
	assert_string_equal(out, "passwd");
	files_safe_name("C:\\Users\\x\\photo.png", out, sizeof(out));
	assert_string_equal(out, "photo.png");
	files_safe_name("a\x01" "b\"c<d>.txt", out, sizeof(out));
	assert_string_equal(out, "a_b_c_d_.txt");
	files_safe_name("...", out, sizeof(out));
	assert_string_equal(out, "file");
	files_safe_name(".hidden", out, sizeof(out));
	assert_string_equal(out, "hidden");
	char small[6];
	files_safe_name("caf\xc3\xa9\xc3\xa9", small, sizeof(small));   /* never half a character */
	assert_true(utf8_valid(small, strlen(small)));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sniff_by_content),
		cmocka_unit_test(test_safe_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
