import { z } from 'zod'
import { plainText } from '../validation/index.ts'

/** Username rule of API.md: 3–50 characters of `A-Z a-z 0-9 _ . -`. */
export const Username = z
  .string()
  .min(3, 'must be at least 3 characters')
  .max(50, 'must be at most 50 characters')
  .regex(/^[A-Za-z0-9_.-]+$/, 'may hold only letters, digits, _ . and -')

/** An email address, stored lowercased. */
export const Email = z
  .email('must be a valid email address')
  .max(254, 'must be at most 254 characters')
  .transform((v) => v.toLowerCase())

/** At least 8 characters; capped so hashing stays cheap. */
export const Password = z.string().min(8, 'must be at least 8 characters').max(256, 'must be at most 256 characters')

/** Body of `POST /api/auth/signup`. Unknown fields are rejected. */
export const SignupBody = z.strictObject({ username: Username, email: Email, password: Password })
export type SignupInput = z.output<typeof SignupBody>

/** Body of `POST /api/auth/login`: `username` may also be the email. */
export const LoginBody = z.strictObject({
  username: plainText({ min: 1, max: 254 }),
  password: z.string().min(1, 'is required').max(256, 'must be at most 256 characters'),
})
export type LoginInput = z.output<typeof LoginBody>
