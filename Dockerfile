FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts || npm ci --ignore-scripts
COPY . .
ENV NODE_ENV=production
EXPOSE 8080 8443
CMD ["npm", "start"]
