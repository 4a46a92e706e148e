/** `auth-service/adapters/nodemailer`: mail sent over SMTP, or kept as `.eml` files for development. */
export { NodemailerSmtpMailer } from './nodemailer-smtp-mailer.js';
export { DevelopmentFileMailer } from './development-file-mailer.js';
