// Typed wrappers for libcurl's variadic functions, which Swift cannot call directly.
#ifndef CCURLSHIM_H
#define CCURLSHIM_H
#include <curl/curl.h>

typedef size_t (*ccurl_write_cb)(char *ptr, size_t size, size_t nmemb, void *userdata);

CURLcode ccurl_setopt_long(CURL *h, CURLoption opt, long v);
CURLcode ccurl_setopt_string(CURL *h, CURLoption opt, const char *v);
CURLcode ccurl_setopt_pointer(CURL *h, CURLoption opt, void *v);
CURLcode ccurl_setopt_slist(CURL *h, CURLoption opt, struct curl_slist *v);
CURLcode ccurl_setopt_write_function(CURL *h, ccurl_write_cb cb);
/// CURLOPT_HEADERFUNCTION: called once per received header line (same signature as the write callback).
CURLcode ccurl_setopt_header_function(CURL *h, ccurl_write_cb cb);
CURLcode ccurl_getinfo_long(CURL *h, CURLINFO info, long *out);
CURLcode ccurl_getinfo_pointer(CURL *h, CURLINFO info, void **out);
CURLMcode ccurl_multi_setopt_long(CURLM *m, CURLMoption opt, long v);
#endif
