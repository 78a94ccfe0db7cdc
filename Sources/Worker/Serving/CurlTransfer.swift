import CCurl
import CCurlShim

/// One transfer in flight: an easy handle configured from an ``HTTPRequest`` plus the buffers curl
/// writes into. Created, driven and finished on the transport's loop thread only.
final class CurlTransfer {
    let easy: UnsafeMutableRawPointer
    let job: HTTPTransportJob
    var body: [UInt8] = []
    var headers: [(name: String, value: String)]?
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE))

    /// Configures `easy` (fresh or reset) for `job`. `easy` must not belong to a multi handle yet.
    init(easy: UnsafeMutableRawPointer, job: HTTPTransportJob) {
        self.easy = easy
        self.job = job
        let request = job.request
        errorBuffer[0] = 0
        if request.collectHeaders { headers = [] }

        _ = ccurl_setopt_string(easy, CURLOPT_URL, request.url)
        _ = ccurl_setopt_long(easy, CURLOPT_NOSIGNAL, 1)
        _ = ccurl_setopt_long(easy, CURLOPT_TCP_NODELAY, 1)
        _ = ccurl_setopt_pointer(easy, CURLOPT_ERRORBUFFER, errorBuffer)
        _ = ccurl_setopt_write_function(easy, curlWriteBody)
        _ = ccurl_setopt_pointer(easy, CURLOPT_WRITEDATA, Unmanaged.passUnretained(self).toOpaque())
        if request.collectHeaders {
            _ = ccurl_setopt_header_function(easy, curlWriteHeader)
            _ = ccurl_setopt_pointer(easy, CURLOPT_HEADERDATA, Unmanaged.passUnretained(self).toOpaque())
        }
        if let t = request.timeout { _ = ccurl_setopt_long(easy, CURLOPT_TIMEOUT_MS, t.curlMilliseconds) }
        if let t = request.connectTimeout {
            _ = ccurl_setopt_long(easy, CURLOPT_CONNECTTIMEOUT_MS, t.curlMilliseconds)
        }

        switch request.method {
        case .get:
            _ = ccurl_setopt_long(easy, CURLOPT_HTTPGET, 1)
        case .post, .put, .delete:
            if request.method != .post {
                _ = ccurl_setopt_string(easy, CURLOPT_CUSTOMREQUEST, request.method.rawValue)
            }
            // Size first, then COPYPOSTFIELDS copies exactly that many bytes (the body may hold NULs).
            _ = ccurl_setopt_long(easy, CURLOPT_POSTFIELDSIZE, request.body.count)
            request.body.withUnsafeBytes { raw in
                let empty: StaticString = ""
                let ptr = raw.baseAddress.map { UnsafeMutableRawPointer(mutating: $0) }
                    ?? UnsafeMutableRawPointer(mutating: empty.utf8Start)
                _ = ccurl_setopt_pointer(easy, CURLOPT_COPYPOSTFIELDS, ptr)
            }
        }

        // "Expect:" turns off curl's 100-continue round trip for bodies over 1 KiB (long prompts).
        var list: UnsafeMutablePointer<curl_slist>? = curl_slist_append(nil, "Expect:")
        for (name, value) in request.headers { list = curl_slist_append(list, "\(name): \(value)") }
        headerList = list
        _ = ccurl_setopt_slist(easy, CURLOPT_HTTPHEADER, list)
    }

    deinit {
        curl_slist_free_all(headerList)
        errorBuffer.deallocate()
    }

    /// The outcome once curl reports the transfer done with `code`.
    func result(_ code: CURLcode) -> Result<HTTPResponse, HTTPTransportError> {
        guard code == CURLE_OK else {
            let detail = errorBuffer[0] != 0 ? String(cString: errorBuffer) : String(cString: curl_easy_strerror(code))
            let where_ = "\(job.request.method.rawValue) \(job.request.url)"
            return code == CURLE_OPERATION_TIMEDOUT
                ? .failure(.timeout("\(where_): \(detail)"))
                : .failure(.connection("\(where_): \(detail)"))
        }
        var status = 0
        _ = ccurl_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
        return .success(HTTPResponse(status: status, headers: headers, body: body))
    }

    /// One header line without its line end.
    fileprivate func appendHeaderLine(_ trimmed: String) {
        if trimmed.hasPrefix("HTTP/") { headers = []; return }   // a new (final or interim) response
        guard let colon = trimmed.firstIndex(of: ":") else { return }
        let name = String(trimmed[..<colon])
        let value = String(trimmed[trimmed.index(after: colon)...].drop { $0 == " " || $0 == "\t" })
        headers?.append((name: name, value: value))
    }
}

private let curlWriteBody: ccurl_write_cb = { ptr, size, nmemb, userdata in
    let n = size * nmemb
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(userdata!).takeUnretainedValue()
    if let ptr, n > 0 { transfer.body.append(contentsOf: UnsafeRawBufferPointer(start: ptr, count: n)) }
    return n
}

private let curlWriteHeader: ccurl_write_cb = { ptr, size, nmemb, userdata in
    let n = size * nmemb
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(userdata!).takeUnretainedValue()
    if let ptr, n > 0 {
        var bytes = UnsafeRawBufferPointer(start: ptr, count: n)[...]
        while let last = bytes.last, last == 13 || last == 10 { bytes = bytes.dropLast() }
        transfer.appendHeaderLine(String(decoding: bytes, as: UTF8.self))
    }
    return n
}

extension Duration {
    /// Whole milliseconds, rounded up so that a short positive duration never becomes "no limit" (0).
    var curlMilliseconds: Int {
        let (s, atto) = components
        let ms = s * 1000 + (atto + 999_999_999_999_999) / 1_000_000_000_000_000
        return max(1, Int(clamping: ms))
    }
}
