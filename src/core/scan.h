/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Byte scanners for the hot paths (decoding pages, escaping output): find
 * the first byte that needs attention, 16 bytes at a time with SSE2 (part
 * of every x86-64 CPU), one at a time elsewhere. APILOGS_PORTABLE forces
 * the one-at-a-time path (make portable tests it on x86-64 too).
 */
#ifndef APILOGS_SCAN_H
#define APILOGS_SCAN_H

#include <stddef.h>

#if defined(__SSE2__) && !defined(APILOGS_PORTABLE)
#define SCAN_SSE2 1
#include <emmintrin.h>
#endif

#ifdef SCAN_SSE2
/* A bit for each '"', '\\' or control byte (< 0x20) of the 16 in v. */
static inline int
scan_json_special16(__m128i v)
{
	const __m128i q = _mm_set1_epi8('"');
	const __m128i bs = _mm_set1_epi8('\\');
	const __m128i ctl = _mm_set1_epi8(0x1f);

	return (_mm_movemask_epi8(_mm_or_si128(
	    _mm_or_si128(_mm_cmpeq_epi8(v, q), _mm_cmpeq_epi8(v, bs)),
	    _mm_cmpeq_epi8(_mm_min_epu8(v, ctl), v))));
}
#endif

/* The first '"', '\\' or control byte (< 0x20) in [s, end), or end. */
static inline const char *
scan_json_string(const char *s, const char *end)
{
#ifdef SCAN_SSE2
	int mask;

	while (end - s >= 16) {
		mask = scan_json_special16(
		    _mm_loadu_si128((const __m128i *)(const void *)s));
		if (mask != 0)
			return (s + __builtin_ctz((unsigned)mask));
		s += 16;
	}
#endif
	while (s < end && *s != '"' && *s != '\\' && (unsigned char)*s >= 0x20)
		s++;
	return (s);
}

/* The first byte outside printable ASCII (< 0x20 or >= 0x7f), or end. */
static inline const char *
scan_not_printable(const char *s, const char *end)
{
#ifdef SCAN_SSE2
	const __m128i lo = _mm_set1_epi8(0x1f);
	const __m128i hi = _mm_set1_epi8(0x7f);
	__m128i v, m;
	int mask;

	while (end - s >= 16) {
		v = _mm_loadu_si128((const __m128i *)(const void *)s);
		m = _mm_or_si128(_mm_cmpeq_epi8(_mm_min_epu8(v, lo), v),
		    _mm_cmpeq_epi8(_mm_max_epu8(v, hi), v));
		mask = _mm_movemask_epi8(m);
		if (mask != 0)
			return (s + __builtin_ctz((unsigned)mask));
		s += 16;
	}
#endif
	while (s < end && (unsigned char)*s >= 0x20 && (unsigned char)*s < 0x7f)
		s++;
	return (s);
}

/* The first byte >= 0x80, or end. */
static inline const char *
scan_non_ascii(const char *s, const char *end)
{
#ifdef SCAN_SSE2
	int mask;

	while (end - s >= 16) {
		mask = _mm_movemask_epi8(
		    _mm_loadu_si128((const __m128i *)(const void *)s));
		if (mask != 0)
			return (s + __builtin_ctz((unsigned)mask));
		s += 16;
	}
#endif
	while (s < end && (unsigned char)*s < 0x80)
		s++;
	return (s);
}

/* The first '"', '\\', control byte or non-ASCII byte, or end. */
static inline const char *
scan_json_plain(const char *s, const char *end)
{
#ifdef SCAN_SSE2
	const __m128i q = _mm_set1_epi8('"');
	const __m128i bs = _mm_set1_epi8('\\');
	const __m128i lo = _mm_set1_epi8(0x1f);
	const __m128i hi = _mm_set1_epi8(0x7f);
	__m128i v, m;
	int mask;

	while (end - s >= 16) {
		v = _mm_loadu_si128((const __m128i *)(const void *)s);
		m = _mm_or_si128(
		    _mm_or_si128(_mm_cmpeq_epi8(v, q), _mm_cmpeq_epi8(v, bs)),
		    _mm_or_si128(_mm_cmpeq_epi8(_mm_min_epu8(v, lo), v),
			_mm_cmpeq_epi8(_mm_max_epu8(v, hi), v)));
		mask = _mm_movemask_epi8(m);
		if (mask != 0)
			return (s + __builtin_ctz((unsigned)mask));
		s += 16;
	}
#endif
	while (s < end && *s != '"' && *s != '\\' &&
	       (unsigned char)*s >= 0x20 && (unsigned char)*s < 0x7f)
		s++;
	return (s);
}

#endif
