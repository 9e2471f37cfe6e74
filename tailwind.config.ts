import type { Config } from "tailwindcss";

export default {
  content: ["./app/**/*.{ts,tsx}"],
  theme: {
    extend: {
      colors: {
        border: "hsl(214 32% 85%)",
        input: "hsl(214 32% 80%)",
        ring: "hsl(221 83% 40%)",
        background: "hsl(0 0% 100%)",
        foreground: "hsl(222 47% 11%)",
        primary: { DEFAULT: "hsl(221 83% 35%)", foreground: "hsl(0 0% 100%)" },
        muted: { DEFAULT: "hsl(210 40% 96%)", foreground: "hsl(215 25% 35%)" },
        destructive: { DEFAULT: "hsl(0 72% 42%)", foreground: "hsl(0 0% 100%)" },
      },
    },
  },
  plugins: [],
} satisfies Config;
