#include "CCurlShim.h"

CURLcode ccurl_setopt_long(CURL *h, CURLoption opt, long v) { return curl_easy_setopt(h, opt, v); }
CURLcode ccurl_setopt_string(CURL *h, CURLoption opt, const char *v) { return curl_easy_setopt(h, opt, v); }
CURLcode ccurl_setopt_pointer(CURL *h, CURLoption opt, void *v) { return curl_easy_setopt(h, opt, v); }
CURLcode ccurl_setopt_slist(CURL *h, CURLoption opt, struct curl_slist *v) { return curl_easy_setopt(h, opt, v); }
CURLcode ccurl_setopt_write_function(CURL *h, ccurl_write_cb cb) { return curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, cb); }
CURLcode ccurl_setopt_header_function(CURL *h, ccurl_write_cb cb) { return curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, cb); }
CURLcode ccurl_getinfo_long(CURL *h, CURLINFO info, long *out) { return curl_easy_getinfo(h, info, out); }
CURLcode ccurl_getinfo_pointer(CURL *h, CURLINFO info, void **out) { return curl_easy_getinfo(h, info, out); }
CURLMcode ccurl_multi_setopt_long(CURLM *m, CURLMoption opt, long v) { return curl_multi_setopt(m, opt, v); }
