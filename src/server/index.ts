/** The web bridge's public surface: start it with the services, get its URL and a way to stop it. */
export { startWebServer, securityHeaders, LOOPBACK, type WebServer, type WebServerOptions } from './http'
export { sanitiseUploadName, UPLOADS_DIR } from './upload'
